// libFuzzer target: the HAR 1.2 reader of `crm-replica replay` (Sources/Replay/HARReader.swift),
// then the routing and body checks that run before anything is replayed. Any input must end in
// requests or a `ReplayError`; never a crash.

import Replay

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplayHAR(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    ReplayFuzzHooks.check(Array(UnsafeBufferPointer(start: data, count: size)), as: .har)
    return 0
}
