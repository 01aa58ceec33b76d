import FluentKit
import SQLKit

/// A substring index over customers' name, email and key, so a search of a million customers
/// ("c4999" inside "c4999@shop.example") reads the matches instead of every row.
///
/// SQLite: an FTS5 table with the trigram tokenizer, kept by triggers. It has its own rowids and
/// names the customer by id, because `VACUUM` (and `tandem backup`'s `VACUUM INTO`) may renumber
/// the rowids of `customers`. `CustomerSearch` queries it for needles of three characters or more.
///
/// PostgreSQL: pg_trgm GIN indexes on the very expressions the searches compare, so the planner
/// uses them for `LIKE '%…%'` by itself. Where the extension cannot be installed (no contrib
/// package, no right to create it) the migration says so and goes on: search still works, by scan.
struct M035_CreateCustomerSearch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            // One statement, so the advisory lock serialises nodes (and tests, each in its own
            // schema) creating the database-wide extension at the same moment.
            try await sql.raw("""
                DO $$
                DECLARE trgm_schema text;
                BEGIN
                  PERFORM pg_advisory_xact_lock(7411035);
                  BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
                  EXCEPTION WHEN OTHERS THEN
                    RAISE WARNING 'pg_trgm is not available (%): customer search will scan', SQLERRM;
                  END;
                  SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
                  IF trgm_schema IS NOT NULL THEN
                    EXECUTE format('CREATE INDEX customers_name_trgm ON customers USING gin ((LOWER(COALESCE(name, %L))) %I.gin_trgm_ops)', '', trgm_schema);
                    EXECUTE format('CREATE INDEX customers_email_trgm ON customers USING gin ((LOWER(COALESCE(email, %L))) %I.gin_trgm_ops)', '', trgm_schema);
                    EXECUTE format('CREATE INDEX customers_key_trgm ON customers USING gin ((LOWER(COALESCE("key", %L))) %I.gin_trgm_ops)', '', trgm_schema);
                  END IF;
                END $$
                """).run()
            return
        }
        try await sql.raw("""
            CREATE VIRTUAL TABLE customer_search USING fts5(customer_id UNINDEXED, name, email, customer_key, tokenize = 'trigram')
            """).run()
        try await sql.raw("""
            CREATE TRIGGER customer_search_insert AFTER INSERT ON customers BEGIN
              INSERT INTO customer_search (customer_id, name, email, customer_key) VALUES (new.id, new.name, new.email, new."key");
            END
            """).run()
        // Customers are not renamed or deleted in the ordinary course (a program's deletion
        // cascades), so finding the row by its unindexed id is rare enough to scan for.
        try await sql.raw("""
            CREATE TRIGGER customer_search_delete AFTER DELETE ON customers BEGIN
              DELETE FROM customer_search WHERE customer_id = old.id;
            END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER customer_search_update AFTER UPDATE OF id, name, email, "key" ON customers BEGIN
              DELETE FROM customer_search WHERE customer_id = old.id;
              INSERT INTO customer_search (customer_id, name, email, customer_key) VALUES (new.id, new.name, new.email, new."key");
            END
            """).run()
        try await sql.raw("""
            INSERT INTO customer_search (customer_id, name, email, customer_key) SELECT id, name, email, "key" FROM customers
            """).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            for index in ["customers_name_trgm", "customers_email_trgm", "customers_key_trgm"] {
                try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: index)").run()
            }
            return
        }
        for trigger in ["customer_search_insert", "customer_search_delete", "customer_search_update"] {
            try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger)").run()
        }
        try await sql.raw("DROP TABLE IF EXISTS customer_search").run()
    }
}
