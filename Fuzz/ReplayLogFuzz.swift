// libFuzzer target: the NDJSON request-log reader of `crm-replica replay`
// (Sources/Replay/RequestLogReader.swift), then the routing and body checks that run before
// anything is replayed. Any input must end in requests or a `ReplayError`; never a crash.

import Replay

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplayLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    ReplayFuzzHooks.check(Array(UnsafeBufferPointer(start: data, count: size)), as: .log)
    return 0
}
