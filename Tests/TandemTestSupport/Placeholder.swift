enum _TandemTestSupportPlaceholder {}
