// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "crm-replica",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crm-replica", targets: ["CRMReplicaCLI"]),
        .library(name: "CRMReplica", targets: ["Persistence", "Catalogue", "Ingest", "Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // SQLite comes from the system (libsqlite3-dev), the way SwiftPM itself links it.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Numbered schema files, compiled into the binary so an installed tool needs no files beside it.
        .target(name: "Migrations", path: "Migrations", exclude: ["README.md"],
                resources: [.embedInCode("001_initial.sql")]),
        .target(name: "Persistence", dependencies: ["CSQLite", "Migrations"]),
        .target(name: "Catalogue", dependencies: [
            "Persistence",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        .target(name: "Ingest", dependencies: [
            "Persistence", "Catalogue",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Engine", dependencies: ["Persistence", "Catalogue"]),
        .executableTarget(name: "CRMReplicaCLI", dependencies: [
            "Persistence", "Catalogue", "Ingest", "Engine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "PersistenceTests", dependencies: ["Persistence", "Migrations", "CSQLite"]),
        .testTarget(name: "CatalogueTests", dependencies: ["Catalogue", "Persistence"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Catalogue", "Persistence"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Catalogue", "Persistence"]),
        .testTarget(name: "CLITests", dependencies: []),
    ]
)
