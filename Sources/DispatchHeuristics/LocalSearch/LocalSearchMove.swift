import DispatchCore

/// An improving move applied until it finds nothing better. `improve` returns true when it changed
/// the solution; every change lowers the cost and keeps each route exactly feasible.
protocol LocalSearchMove {
    var name: String { get }
    func improve(_ solution: inout Solution, context: SearchContext) -> Bool
}

/// Runs the moves in turn until none improves.
struct LocalSearch {
    var moves: [any LocalSearchMove]

    func run(_ solution: inout Solution, context: SearchContext) {
        var improved = true
        var rounds = 0
        while improved && rounds < 50 {
            improved = false
            rounds += 1
            for move in moves where move.improve(&solution, context: context) { improved = true }
        }
    }
}
