enum _TandemStoreTestsPlaceholder {}
