// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "crm-replica",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crm-replica", targets: ["CRMReplicaCLI"]),
        .library(name: "CRMReplica", targets: ["Formats", "Persistence", "Catalogue", "Storage", "Ingest", "Engine", "Explain", "Replay", "SampleData"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // SQLite comes from the system (libsqlite3-dev), the way SwiftPM itself links it.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Numbered schema files, compiled into the binary so an installed tool needs no files beside it.
        .target(name: "Migrations", path: "Migrations", exclude: ["README.md"],
                resources: [.embedInCode("001_initial.sql"), .embedInCode("002_partial_indexes.sql"),
                            .embedInCode("003_confusable_keys.sql"), .embedInCode("004_module_ids.sql"),
                            .embedInCode("005_field_length.sql"), .embedInCode("006_calibration.sql"),
                            .embedInCode("007_narrow_live_tables.sql")]),
        // The exact JSON codec and the CSV reader: file formats, depending on nothing of ours, so that
        // every layer may read and write them.
        .target(name: "Formats", dependencies: [
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        .target(name: "Persistence", dependencies: ["CSQLite", "Migrations"]),
        .target(name: "Catalogue", dependencies: [
            "Formats", "Persistence",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        // The replica's tables (records, recycle bin, side index, memberships, preference, import
        // log), each type the only owner of its SQL; Catalogue stays the model they store.
        .target(name: "Storage", dependencies: ["Formats", "Persistence", "Catalogue"]),
        .target(name: "Ingest", dependencies: [
            "Formats", "Persistence", "Catalogue", "Storage",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Engine", dependencies: ["Formats", "Persistence", "Catalogue", "Storage"]),
        .target(name: "Replay", dependencies: ["Formats", "Persistence", "Catalogue", "Storage", "Engine", "Ingest", "Explain"]),
        .target(name: "Explain", dependencies: ["Formats", "Persistence", "Catalogue", "Storage", "Engine"]),
        // Which settings reproduce an org's real answers: replays under every combination.
        .target(name: "Calibrate", dependencies: ["Formats", "Persistence", "Catalogue", "Storage", "Engine", "Ingest", "Replay"]),
        // `serve`: Zoho's REST API over HTTP (Hummingbird 2 on SwiftNIO), answered by the same engine
        // as `replay` (and `why` for /replica/why); it only parses requests and renders answers. With
        // --upstream it forwards to Zoho instead (AsyncHTTPClient) and compares with Replay's rules.
        .target(name: "Server", dependencies: [
            "Formats", "Persistence", "Catalogue", "Storage", "Engine", "Explain", "Replay",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            // The web pages' templates (HTML-escaping by default), compiled into the binary.
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The demo's sample org and batches (Samples/zoho-org, Samples/batches), embedded so that an
        // installed binary has them too, and the generator of larger orgs.
        .target(name: "SampleData", dependencies: ["Formats", "Catalogue"], path: "Samples", exclude: ["README.md", "examples"],
                sources: ["Sources"], resources: [.embedInCode("zoho-org"), .embedInCode("batches")]),
        .executableTarget(name: "CRMReplicaCLI", dependencies: [
            "Formats", "Persistence", "Catalogue", "Storage", "Ingest", "Engine", "Explain", "Replay", "Calibrate", "SampleData", "Server",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // What the test targets share: scratch replicas, the org-writing helpers, database dumps and
        // the runner of the built binary. A plain target (not a test target) so that tests can import it.
        .target(name: "TestSupport", dependencies: ["Formats", "Persistence", "Catalogue", "Storage", "Engine"], path: "Tests/TestSupport"),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "SampleData"]),
        .testTarget(name: "PersistenceTests", dependencies: ["Persistence", "Migrations", "CSQLite"]),
        .testTarget(name: "CatalogueTests", dependencies: ["Formats", "Catalogue", "Storage", "Persistence"]),
        .testTarget(name: "IngestTests", dependencies: ["TestSupport", "Formats", "Ingest", "Catalogue", "Storage", "Persistence"]),
        .testTarget(name: "EngineTests", dependencies: ["TestSupport", "Formats", "Engine", "Catalogue", "Storage", "Persistence"]),
        .testTarget(name: "ExplainTests", dependencies: ["TestSupport", "Formats", "Explain", "Engine", "Catalogue", "Storage", "Persistence"]),
        .testTarget(name: "ReplayTests", dependencies: ["TestSupport", "Formats", "Replay", "Engine", "Catalogue", "Storage", "Persistence"]),
        .testTarget(name: "CalibrateTests", dependencies: ["TestSupport", "Formats", "Calibrate", "Replay", "Engine", "Catalogue", "Storage", "Persistence"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "SampleTests", dependencies: ["TestSupport", "Formats", "SampleData", "Ingest", "Engine", "Catalogue", "Storage", "Persistence"]),
        // SDK/ holds the Python program an official Zoho SDK runs against `serve` (ServeSDKTests);
        // Browser/ the Selenium program that drives Chromium over the web pages (WebPagesBrowserTests).
        .testTarget(name: "ServerTests", dependencies: ["TestSupport", "Formats"], exclude: ["SDK", "Browser"]),
        .testTarget(name: "ReliabilityTests", dependencies: ["TestSupport", "Formats", "Engine", "Catalogue", "Storage", "Persistence"]),
    ]
)
