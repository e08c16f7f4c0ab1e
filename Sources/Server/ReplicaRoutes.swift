import Catalogue
import Engine
import Explain
import Formats

/// The replica's own calls beside Zoho's: `/replica/health` for scripts that wait for the server,
/// `/replica/why` for the `why --json` answer about a value.
extension ZohoResponder {
    /// Answers as soon as the server listens; needs no token (it tells nothing about the data).
    func health() -> ServerAnswer {
        ServerAnswer(status: 200, body: .object([
            "status": .string("ok"), "dry_run": .bool(configuration.dryRun),
            "as_of": configuration.asOf.map { .string(Timestamps.format($0)) } ?? .null,
        ]))
    }

    /// `GET /replica/why?value=…[&module=Contacts][&operation=upsert|insert][&field=Email]
    /// [&duplicate_check_fields=A,B]`: `why VALUE --json`, under the server's settings and clock.
    func why(_ query: Query) async throws -> ServerAnswer {
        guard let value = query["value"], !value.isEmpty else {
            return .error(400, .requiredParamMissing, message: "One of the expected parameter is missing", details: ["param": .string("value")])
        }
        let moduleName = query["module"] ?? Module.contacts.rawValue
        guard let module = Module(name: moduleName), module.rawValue == moduleName else { return Metadata.invalidModule(moduleName) }
        let operationName = query["operation"] ?? WriteOperation.upsert.rawValue
        guard let operation = WriteOperation(rawValue: operationName), operation != .update else {
            return .error(400, .invalidData, message: "invalid data", details: ["param": .string("operation"), "expected": .string("upsert or insert")])
        }
        let field = query["field"] ?? "Email"
        let checkFields = query["duplicate_check_fields"].map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return try await reader.read { context in
            let question = WhyQuestion(value: value, module: module, operation: operation, field: field, duplicateCheckFields: checkFields,
                                       settings: context.settings, asOf: context.asOf)
            do {
                return ServerAnswer(status: 200, body: try Explainer(db: context.db).explain(question).json)
            } catch let error as WhyError {
                return .error(400, .invalidData, message: "invalid data", details: ["replica": .string(error.description)])
            }
        }
    }
}
