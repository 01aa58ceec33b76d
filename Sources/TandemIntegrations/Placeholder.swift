enum _TandemIntegrationsPlaceholder {}
