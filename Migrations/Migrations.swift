/// One numbered schema file of this folder.
public struct SchemaMigration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// Every migration, in order. SwiftPM names an embedded file that starts with a digit with its
/// first character replaced by `_`; a test checks that every `.sql` file here is listed.
public enum SchemaMigrations {
    public static let all: [SchemaMigration] = [
        SchemaMigration(version: 1, name: "001_initial.sql", sql: String(decoding: PackageResources._01_initial_sql, as: UTF8.self)),
        SchemaMigration(version: 2, name: "002_partial_indexes.sql", sql: String(decoding: PackageResources._02_partial_indexes_sql, as: UTF8.self)),
        SchemaMigration(version: 3, name: "003_confusable_keys.sql", sql: String(decoding: PackageResources._03_confusable_keys_sql, as: UTF8.self)),
        SchemaMigration(version: 4, name: "004_module_ids.sql", sql: String(decoding: PackageResources._04_module_ids_sql, as: UTF8.self)),
        SchemaMigration(version: 5, name: "005_field_length.sql", sql: String(decoding: PackageResources._05_field_length_sql, as: UTF8.self)),
        SchemaMigration(version: 6, name: "006_calibration.sql", sql: String(decoding: PackageResources._06_calibration_sql, as: UTF8.self)),
        SchemaMigration(version: 7, name: "007_narrow_live_tables.sql", sql: String(decoding: PackageResources._07_narrow_live_tables_sql, as: UTF8.self)),
    ]
}
