enum _TandemDomainTestsPlaceholder {}
