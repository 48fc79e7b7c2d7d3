// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "dispatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dispatch", targets: ["DispatchCLI"]),
        .library(name: "RoadNetwork", targets: ["RoadNetwork"]),
        .library(name: "NetworkGeneration", targets: ["NetworkGeneration"]),
        .library(name: "RoutingBench", targets: ["RoutingBench"]),
        .library(name: "DispatchCore", targets: ["DispatchCore"]),
        .library(name: "DispatchHeuristics", targets: ["DispatchHeuristics"]),
        .library(name: "DispatchMILP", targets: ["DispatchMILP"]),
        .library(name: "DispatchWire", targets: ["DispatchWire"]),
        .library(name: "DispatchPlanning", targets: ["DispatchPlanning"]),
        .library(name: "RideRequestStore", targets: ["RideRequestStore"]),
        .library(name: "DispatchServer", targets: ["DispatchServer"]),
        .library(name: "DispatchTestSupport", targets: ["DispatchTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "RoadNetwork",
            dependencies: ["CZlib"],
            swiftSettings: strict
        ),
        .target(
            name: "DispatchCore",
            dependencies: ["RoadNetwork"],
            swiftSettings: strict
        ),
        // The synthetic mountain networks (embedded zone, scalable test networks) and their terrain.
        // Above DispatchCore, whose SeededGenerator it draws from.
        .target(
            name: "NetworkGeneration",
            dependencies: ["RoadNetwork", "DispatchCore"],
            swiftSettings: strict
        ),
        // CH against Dijkstra on one network (`dispatch bench routing`, Benchmarks/RoutingBenchmarks).
        .target(
            name: "RoutingBench",
            dependencies: ["RoadNetwork", "DispatchCore"],
            swiftSettings: strict
        ),
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"]), .brew(["glpk"])]
        ),
        .target(
            name: "DispatchMILP",
            dependencies: ["DispatchCore", "CGLPK"],
            swiftSettings: strict
        ),
        .target(
            name: "DispatchHeuristics",
            dependencies: ["DispatchCore"],
            swiftSettings: strict
        ),
        .target(
            name: "DispatchWire",
            dependencies: ["RoadNetwork", "DispatchCore", "NetworkGeneration"],
            swiftSettings: strict
        ),
        .target(
            name: "DispatchPlanning",
            dependencies: ["RoadNetwork", "DispatchCore", "DispatchHeuristics", "DispatchMILP", "DispatchWire", "RideRequestStore"],
            swiftSettings: strict
        ),
        .target(
            name: "RideRequestStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DispatchServer",
            dependencies: [
                "RoadNetwork",
                "DispatchCore",
                "DispatchWire",
                "DispatchPlanning",
                "RideRequestStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Solver test support (fixtures, seeded instances, independent checkers): no database.
        .target(
            name: "DispatchTestSupport",
            dependencies: ["DispatchCore"],
            swiftSettings: strict
        ),
        // Database test support (throwaway PostgreSQL, SQLite files), apart so that solver tests
        // do not depend on GRDB and PostgresNIO.
        .target(
            name: "StoreTestSupport",
            dependencies: ["RideRequestStore"],
            swiftSettings: strict
        ),
        // The embedded default zone's files, copied beside the executable as a resource bundle
        // (`EmbeddedZoneFiles`), so that every command works from any folder and after `make install`.
        .target(
            name: "DispatchZoneData",
            path: "Networks",
            exclude: ["README.md"],
            sources: ["EmbeddedZoneFiles.swift"],
            resources: [.copy("default-zone.zone.json"), .copy("default-zone.dnet")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "DispatchCLI",
            dependencies: [
                "DispatchZoneData",
                "RoadNetwork",
                "NetworkGeneration",
                "RoutingBench",
                "DispatchWire",
                "DispatchCore",
                "DispatchHeuristics",
                "DispatchMILP",
                "DispatchPlanning",
                "RideRequestStore",
                "DispatchServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RoadNetworkTests",
            dependencies: ["RoadNetwork"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NetworkGenerationTests",
            dependencies: ["NetworkGeneration", "RoadNetwork", "DispatchCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchCoreTests",
            dependencies: ["DispatchCore", "DispatchTestSupport", "RoadNetwork"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchHeuristicsTests",
            dependencies: ["DispatchHeuristics", "DispatchCore", "DispatchTestSupport", "DispatchWire"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchMILPTests",
            dependencies: ["DispatchMILP", "DispatchCore", "DispatchHeuristics", "DispatchTestSupport", "DispatchWire"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchPlanningTests",
            dependencies: ["DispatchPlanning", "DispatchCore", "DispatchMILP", "DispatchTestSupport", "DispatchWire", "RideRequestStore", "RoadNetwork"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RideRequestStoreTests",
            dependencies: ["RideRequestStore", "StoreTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchServerTests",
            dependencies: [
                "DispatchServer", "RideRequestStore", "DispatchWire", "DispatchCore", "DispatchPlanning", "StoreTestSupport", "RoadNetwork",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchWireTests",
            dependencies: ["DispatchWire", "DispatchCore", "NetworkGeneration", "RoadNetwork"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchCLITests",
            dependencies: [
                "RoadNetwork", "NetworkGeneration", "DispatchWire", "DispatchPlanning", "RideRequestStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
    ]
)
