import Catalogue
import Engine
import Persistence
import Storage

/// Answers `WhyQuestion`s by running the Engine's evaluator, the one implementation of the
/// duplicate rules, and assembling its verdict into a `WhyReport`. Nothing here decides whether
/// a record counts: that is always the engine's `Candidate.counts`.
public final class Explainer {
    public let db: Database

    /// A question without a batch only reads, so `db` may be read-only (a reader never waits on
    /// a running load); a batch row needs read-write, since it runs the earlier rows in a dry run.
    public init(db: Database) {
        self.db = db
    }

    public func explain(_ question: WhyQuestion) throws -> WhyReport {
        guard !question.value.isEmpty else { throw WhyError.emptyValue }
        guard question.operation != .update else { throw WhyError.unsupportedOperation(question.operation) }
        let store = RecordStore(db: db)
        let catalogue = try store.catalogue(question.module)
        let field = try Self.resolve(field: question.field, in: catalogue)
        let evaluation = try question.batch.map { try evaluateRow($0, of: question, field: field) }
            ?? evaluateAlone(question, field: field)
        return try ReportBuilder(db: db, question: question, field: field, catalogue: catalogue, evaluation: evaluation).build()
    }

    /// The field's API name: the catalogue accepts API names and labels in any case. Anything it
    /// does not know is refused here, so user text never reaches SQL as a name.
    static func resolve(field: String, in catalogue: FieldCatalogue) throws -> String {
        if catalogue.field(field) != nil { return field }
        if let name = catalogue.apiName(forHeader: field) { return name }
        let module = catalogue.module
        let suggestions = catalogue.fields
            .filter { $0.apiName == module.systemDuplicateField || $0.isEmail || $0.isUnique }
            .map(\.apiName)
        throw WhyError.unknownField(field, module: module, suggestions: suggestions)
    }

    // MARK: Evaluations

    /// The value as a record holding only that field; mandatory checks are skipped because the
    /// question is about duplicates (the command-line contract).
    /// The session only evaluates (never writes), so a read-only `db` serves; its verdict
    /// carries its alternatives (`whatIf`), whose statements `--show-sql` does not list.
    private func evaluateAlone(_ question: WhyQuestion, field: String) throws -> Evaluation {
        let record = Record(fields: [field: .string(question.value)])
        let input = EvaluationInput(module: question.module, operation: question.operation, record: record,
                                    duplicateCheckFields: question.duplicateCheckFields, skipMandatory: true)
        let session = Session(db: db, settings: question.settings, asOf: question.asOf)
        session.whatIf = true
        // Its store reads the catalogue and checks its near-miss keys before the log starts, as
        // `explain` did: `--show-sql` lists the evaluation's lookups only.
        _ = try session.store.catalogue(question.module)
        try session.store.checkNearMissKeys()
        let (verdict, sql) = try recording(question.showSQL) { try session.evaluate(input, depth: .full) }
        return Evaluation(verdict: verdict, record: record, dependencies: verdict.alternatives, sql: sql)
    }

    /// Row N of a batch, evaluated whole after the earlier requests of its file (`BatchRow.before`)
    /// and rows 0..<N went through one `Session`, exactly as replay would, inside a dry run that
    /// leaves the database as it was.
    ///
    /// `depends_on` replays the earlier rows under each other setting too, rather than taking
    /// row N's own `Verdict.alternatives` (`Session.whatIf`): another setting can change what the
    /// earlier rows wrote (a row that now fails writes nothing), and row N must see that state.
    /// The keys tried, and their order, are the engine's (`Evaluator.alternativeKeys`), so
    /// `why --batch` lists them as `replay --explain` and plain `why` do.
    private func evaluateRow(_ batch: BatchRow, of question: WhyQuestion, field: String) throws -> Evaluation {
        guard db.mode == .readWrite else { throw WhyError.readOnlyDatabase }
        let records = batch.records
        guard records.indices.contains(batch.row) else {
            throw WhyError.rowOutOfRange(row: batch.row, count: records.count, path: batch.source)
        }
        guard records.count <= question.settings.batchLimit else {
            throw WhyError.batchOverLimit(count: records.count, limit: question.settings.batchLimit, path: batch.source)
        }
        let record = records[batch.row]
        guard let held = record.comparable(field), Matching.classify(given: question.value, stored: held) != nil else {
            throw WhyError.rowDoesNotHold(row: batch.row, field: field, held: record.text(field), given: question.value, path: batch.source)
        }
        let checkFields = question.duplicateCheckFields ?? batch.duplicateCheckFields
        func input(_ row: Int) -> EvaluationInput {
            EvaluationInput(module: question.module, operation: question.operation, record: records[row], row: row,
                            duplicateCheckFields: checkFields)
        }
        func replayEarlierRows(_ settings: Settings) throws -> Session {
            let session = Session(db: db, settings: settings, asOf: question.asOf)
            try batch.before(session)
            session.startBatch()
            for row in 0..<batch.row { _ = try session.process(input(row)) }
            return session
        }
        return try db.dryRun {
            let (verdict, sql) = try db.dryRun {
                let session = try replayEarlierRows(question.settings)
                try session.store.checkNearMissKeys()
                return try recording(question.showSQL) { try session.evaluate(input(batch.row), depth: .full) }
            }
            var dependencies: [Alternative] = []
            for key in Evaluator.alternativeKeys {
                for other in question.settings.alternatives(key) {
                    let then = try db.dryRun { try replayEarlierRows(other).evaluate(input(batch.row), depth: .decision) }
                    guard then.answer != verdict.answer else { continue }
                    dependencies.append(Alternative(setting: key, value: other.value(key), verdict: then))
                }
            }
            return Evaluation(verdict: verdict, record: record, dependencies: dependencies, sql: sql,
                              position: BatchPosition(source: batch.source, row: batch.row, request: batch.request))
        }
    }

    /// Runs `body` with the query log on when asked, and returns the statements it bound.
    private func recording<T>(_ enabled: Bool, _ body: () throws -> T) throws -> (T, [ExecutedStatement]?) {
        guard enabled else { return (try body(), nil) }
        let previous = db.queryLog
        let log = QueryLog()
        db.queryLog = log
        defer { db.queryLog = previous }
        let result = try body()
        return (result, log.entries.map { ExecutedStatement(sql: $0.sql, arguments: $0.arguments) })
    }
}

/// What one evaluation produced, before it is assembled into a report.
struct Evaluation {
    let verdict: Verdict
    /// The record evaluated: the lone field, or the whole batch row.
    let record: Record
    let dependencies: [Alternative]
    let sql: [ExecutedStatement]?
    var position: BatchPosition?
}
