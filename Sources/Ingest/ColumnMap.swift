import Catalogue

/// How the columns of a record CSV become the fields of a record.
///
/// Header text never reaches SQL: it only becomes a key inside the record's JSON `data` (and a
/// label bound as a value in the field catalogue).
struct ColumnMap {
    /// The JSON key of each column, in column order.
    let keys: [String]
    /// The header of each column as the file spells it, for messages.
    let headers: [String]
    /// The column holding the record id.
    let idColumn: Int
    /// Custom columns the catalogue does not know yet; recorded so that `show` and the
    /// evaluator can name them.
    let newFields: [FieldDefinition]

    /// Maps `headers` (found on `line`) through `catalogue`:
    /// * a label or API name the catalogue knows → its API name (`Record Id` → `id`,
    ///   `Contact Owner` → `Owner`, `Last Name` → `Last_Name`);
    /// * in a Bulk Read file, a lookup path (`Owner.last_name`) → kept as that literal key;
    ///   it is data about another record, not a field of this module;
    /// * any other header → a custom field named as Zoho derives API names from labels
    ///   (spaces and other punctuation become `_`).
    static func build(headers: [String], line: Int, format: InputFormat, catalogue: FieldCatalogue,
                      path: String) throws -> ColumnMap {
        // Every column becomes a catalogue field: a garbage header must not add 100,000 of them.
        guard headers.count <= maxColumns else {
            throw LoadError.unexpected(path: path, at: .line(line),
                                       expected: "a header of at most \(maxColumns) columns (a Zoho module has a few hundred fields)",
                                       found: "\(headers.count) columns")
        }
        var keys: [String] = []
        var columnOfKey: [String: Int] = [:]
        var newFields: [FieldDefinition] = []   // unique by name: a repeated key is an error below
        for (column, header) in headers.enumerated() {
            let key: String
            if format == .bulkReadCSV, isLookupPath(header) {
                key = header
            } else if let known = catalogue.apiName(forHeader: header) {
                key = known
            } else if let derived = FieldCatalogue.derivedAPIName(forLabel: header) ?? safeAPIName(forLabel: header) {
                key = derived
                if catalogue.field(derived) == nil {
                    newFields.append(FieldDefinition(module: catalogue.module, apiName: derived, label: header,
                                                     dataType: "text", isCustom: true, source: .export))
                }
            } else {
                throw LoadError.unnamedColumn(path: path, line: line, column: column + 1, header: header)
            }
            if let earlier = columnOfKey[key] {
                throw LoadError.duplicateColumn(path: path, line: line, first: headers[earlier], second: header, field: key)
            }
            columnOfKey[key] = column
            keys.append(key)
        }
        guard let idColumn = columnOfKey["id"] else {
            throw LoadError.missingIDColumn(path: path, expected: format == .uiExportCSV ? "a `Record Id` column" : "an `id` column")
        }
        return ColumnMap(keys: keys, headers: headers, idColumn: idColumn, newFields: newFields)
    }

    /// Far more columns than any Zoho module has fields (custom fields are counted in hundreds).
    static let maxColumns = 10_000

    /// `Owner.last_name`, `Account_Name.Account_Name`: API names joined by dots.
    static func isLookupPath(_ header: String) -> Bool {
        let parts = header.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count > 1 && parts.allSatisfy { FieldCatalogue.isValidAPIName(String($0)) }
    }

    /// A label with characters an API name cannot hold (`No. of Seats (EU)`, or a hostile
    /// `Email"); DROP TABLE contacts; --`): every run of them becomes one `_`, as Zoho does when
    /// it names a custom field, and a leading digit gets an `F_` prefix because API names start
    /// with a letter. Nil when no letter or digit is left.
    static func safeAPIName(forLabel label: String) -> String? {
        var name = ""
        var pendingUnderscore = false
        for scalar in label.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                if pendingUnderscore && !name.isEmpty { name.append("_") }
                pendingUnderscore = false
                name.unicodeScalars.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "F_" + name }
        return FieldCatalogue.isValidAPIName(name) ? name : nil
    }
}
