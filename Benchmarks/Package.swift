// swift-tools-version: 6.1
// Benchmarks live in their own package so that `swift build` / `swift test` of the project never build them.
import PackageDescription

let package = Package(
    name: "dispatch-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "dispatch", path: "../"),
    ],
    targets: [
        .executableTarget(
            name: "RoutingBenchmarks",
            dependencies: [
                .product(name: "RoadNetwork", package: "dispatch"),
                .product(name: "NetworkGeneration", package: "dispatch"),
                .product(name: "RoutingBench", package: "dispatch"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "OptimizerBenchmarks",
            dependencies: [
                .product(name: "DispatchCore", package: "dispatch"),
                .product(name: "DispatchHeuristics", package: "dispatch"),
                .product(name: "DispatchMILP", package: "dispatch"),
                .product(name: "DispatchWire", package: "dispatch"),
                .product(name: "DispatchPlanning", package: "dispatch"),
                .product(name: "DispatchServer", package: "dispatch"),
                .product(name: "RideRequestStore", package: "dispatch"),
                .product(name: "DispatchTestSupport", package: "dispatch"),
                .product(name: "RoadNetwork", package: "dispatch"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)
