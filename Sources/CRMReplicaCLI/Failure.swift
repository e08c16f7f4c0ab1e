import ArgumentParser
import Foundation

/// Runs a command body and turns every error into the contract's exit codes: 2 for bad input
/// or usage (with the message on stderr), 1 only where a command says so itself.
func runReporting(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CleanExit {
        throw error
    } catch {
        Terminal.error("\(error)")
        throw ExitCode(2)
    }
}

enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("crm-replica: error: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
