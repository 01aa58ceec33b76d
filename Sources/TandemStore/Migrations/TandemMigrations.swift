import FluentKit

/// Every migration, in the order it runs. Append; never reorder or edit a shipped one.
public enum TandemMigrations {
    public static let all: [any Migration] = [
        M001_CreateUsers(),
        M002_CreateLoginThrottles(),
        M003_CreateSessions(),
        M004_CreatePasswordResets(),
        M005_CreatePartnerAccounts(),
        M006_CreateCompanies(),
        M007_CreateAPIKeys(),
        M008_CreatePrograms(),
        M009_CreatePartnerships(),
        M010_CreateOutboxEmails(),
        M011_CreateJobs(),
        M012_CreateLinks(),
        M013_CreateClicks(),
        M014_CreateCustomers(),
        M015_CreateTransactions(),
        M016_CreateLeadsAndDeals(),
        M017_CreateIdempotencyKeys(),
        M018_CreateRewards(),
        M019_CreatePartnershipDaily(),
        M020_UpdateRewardsAddIndexes(),
        M021_UpdateRewardsAddProgramIndex(),
        M022_CreateWithdrawalPrograms(),
        M023_UpdateRewardRulesAddVersions(),
        M024_UpdateAPIKeysAddLastUsed(),
        M025_UpdateProgramGroupsAddArchived(),
        M026_UpdateTransactionsAddProgramIndex(),
        M027_CreateEmailChanges(),
        M028_CreateMessages(),
        M029_CreateCustomTabs(),
        M030_CreateResources(),
        M031_CreateCampaigns(),
        M032_CreateAudienceGroups(),
    ]
}
