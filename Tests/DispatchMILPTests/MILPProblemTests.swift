@testable import DispatchMILP
import Testing

/// The GLPK wrapper: every way a solve can end is a typed result, never a crash.
@Suite struct MILPProblemTests {
    /// max 5a + 4b + 3c s.t. 2a + 3b + c ≤ 5, 4a + b + 2c ≤ 11, 3a + 4b + 2c ≤ 8, binary
    /// (as a minimisation of the negated objective); optimum a = b = 1: −9.
    func knapsack() -> MILPProblem {
        let problem = MILPProblem()
        let first = problem.addColumns(3, binary: true, name: "x")
        for (j, c) in [5.0, 4, 3].enumerated() { problem.setCost(column: first + Int32(j), -c) }
        let rows = [problem.addRow(lower: nil, upper: 5, name: "r1"), problem.addRow(lower: nil, upper: 11, name: "r2"),
                    problem.addRow(lower: nil, upper: 8, name: "r3")]
        let a: [[Double]] = [[2, 3, 1], [4, 1, 2], [3, 4, 2]]
        var ri: [Int32] = [], ci: [Int32] = [], v: [Double] = []
        for i in 0..<3 { for j in 0..<3 { ri.append(rows[i]); ci.append(first + Int32(j)); v.append(a[i][j]) } }
        problem.loadMatrix(rows: ri, columns: ci, values: v)
        return problem
    }

    @Test func aSmallModelIsSolvedToProvenOptimalityWithNamedColumnsAndRows() {
        let problem = knapsack()
        let outcome = problem.solve(.init(milliseconds: 5_000), start: nil)
        #expect(outcome.termination == .optimal)
        #expect(outcome.objective == -9)
        #expect(outcome.lowerBound == -9)
        #expect(problem.columnName(1) == "x[0]" && problem.columnName(3) == "x[2]")
        #expect(problem.rowName(2) == "r2")
    }

    @Test func anEmptyModelIsATypedFailureNotACrash() {
        let outcome = MILPProblem().solve(.init(milliseconds: 1_000), start: nil)
        #expect(outcome.termination == .failed(.emptyModel))
        #expect(outcome.objective == nil)
        #expect(outcome.termination.description.contains("no rows or no columns"))
    }

    @Test func crossedBoundsAreReportedAsInvalidBounds() {
        let problem = MILPProblem()
        let x = problem.addColumns(1, binary: false, lower: 0, upper: 10)
        let r = problem.addRow(lower: 5, upper: 2, name: "crossed")
        problem.loadMatrix(rows: [r], columns: [x], values: [1])
        let outcome = problem.solve(.init(milliseconds: 1_000), start: nil)
        #expect(outcome.termination == .failed(.invalidBounds))
        #expect(outcome.objective == nil)
    }

    @Test func anInfeasibleModelIsProvenInfeasible() {
        let problem = MILPProblem()
        let x = problem.addColumns(2, binary: true)
        let r = problem.addRow(lower: 3, upper: nil)   // x0 + x1 ≥ 3 with binaries
        problem.loadMatrix(rows: [r, r], columns: [x, x + 1], values: [1, 1])
        #expect(problem.solve(.init(milliseconds: 1_000), start: nil).termination == .infeasible)

        let fractional = MILPProblem()
        let y = fractional.addColumns(2, binary: true)
        let e = fractional.addRow(lower: 1, upper: 1)   // 2 y0 + 2 y1 = 1: LP feasible, no integer point
        fractional.loadMatrix(rows: [e, e], columns: [y, y + 1], values: [2, 2])
        #expect(fractional.solve(.init(milliseconds: 1_000), start: nil).termination == .infeasible)
    }

    /// A set-partitioning-like model that branch and bound cannot finish in a millisecond, and a
    /// stop request from the callback: both end with a typed status and the bound found.
    @Test func theTimeLimitAndAStopRequestEndTheSearchWithATypedStatus() {
        func hard() -> MILPProblem {
            // A multi-dimensional knapsack: 250 items, 12 random weight rows at half their sums. Plain
            // branch and bound (no cuts) needs many thousands of nodes.
            let problem = MILPProblem()
            let n = 250, m = 12
            let first = problem.addColumns(n, binary: true)
            var state: UInt64 = 7
            func next() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(10 + (state >> 33) % 90)
            }
            for j in 0..<n { problem.setCost(column: first + Int32(j), -next()) }
            var ri: [Int32] = [], ci: [Int32] = [], v: [Double] = []
            for _ in 0..<m {
                let weights = (0..<n).map { _ in next() }
                let r = problem.addRow(lower: nil, upper: weights.reduce(0, +) / 2)
                for j in 0..<n { ri.append(r); ci.append(first + Int32(j)); v.append(weights[j]) }
            }
            problem.loadMatrix(rows: ri, columns: ci, values: v)
            return problem
        }
        let timed = hard().solve(.init(milliseconds: 30), start: nil)
        #expect(timed.termination == .timeLimit)
        #expect(timed.lowerBound.isFinite)
        if let objective = timed.objective { #expect(timed.lowerBound <= objective) }

        final class Flag: @unchecked Sendable { var polls = 0 }
        let flag = Flag()
        var options = MILPProblem.Options(milliseconds: 60_000)
        options.shouldStop = { flag.polls += 1; return flag.polls >= 50 }
        let stopped = hard().solve(options, start: nil)
        #expect(stopped.termination == .stopped)
        #expect(flag.polls == 50)
    }

    @Test func progressReportsIncumbentsThatOnlyImprove() {
        var options = MILPProblem.Options(milliseconds: 5_000)
        final class Log: @unchecked Sendable { var samples: [MILPProgress] = [] }
        let log = Log()
        options.progress = { log.samples.append($0) }
        options.progressEvery = 1
        let outcome = knapsack().solve(options, start: nil)
        #expect(outcome.termination == .optimal)
        let incumbents = log.samples.compactMap(\.incumbent)
        #expect(incumbents == incumbents.sorted(by: >))
        #expect(incumbents.allSatisfy { $0 >= -9 })
        #expect(incumbents.last == -9)
    }

    @Test func everyGLPKReturnCodeMapsToTheTerminationItNames() {
        // The codes of glpk.h (GLPK 5.0), written out here rather than read from CGLPK's constants.
        let expected: [Int32: MILPTermination] = [
            0x01: .failed(.numericalTrouble), 0x02: .failed(.numericalTrouble), 0x03: .failed(.numericalTrouble),   // EBADB, ESING, ECOND
            0x04: .failed(.invalidBounds), 0x05: .failed(.solverFailure),                                            // EBOUND, EFAIL
            0x06: .failed(.objectiveLimit), 0x07: .failed(.objectiveLimit), 0x08: .failed(.iterationLimit),          // EOBJLL, EOBJUL, EITLIM
            0x09: .timeLimit, 0x0A: .infeasible, 0x0B: .unbounded, 0x0C: .failed(.rootNotOptimal),                   // ETMLIM, ENOPFS, ENODFS, EROOT
            0x0D: .stopped, 0x0E: .gapReached, 0x0F: .infeasible,                                                    // ESTOP, EMIPGAP, ENOFEAS
            0x10: .failed(.solverFailure), 0x11: .failed(.solverFailure), 0x12: .failed(.invalidData), 0x13: .failed(.invalidData),  // ENOCVG, EINSTAB, EDATA, ERANGE
        ]
        for code: Int32 in 1...0x13 {
            #expect(MILPTermination(intoptCode: code, mipStatus: 1) == expected[code], "glp_intopt code \(code)")
        }
        #expect(MILPTermination(intoptCode: 0x14, mipStatus: 1) == .failed(.other(code: 0x14)))
        #expect(MILPTermination(intoptCode: 0x14, mipStatus: 1).description == "GLPK failed: GLPK returned code 20")
        // Each named failure has its own message.
        let failures: [MILPFailure] = [.emptyModel, .invalidBounds, .numericalTrouble, .solverFailure, .rootNotOptimal,
                                       .iterationLimit, .objectiveLimit, .invalidData, .undefinedSolution]
        #expect(Set(failures.map(\.description)).count == failures.count)
    }
}
