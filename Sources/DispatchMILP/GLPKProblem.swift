import CGLPK

/// A GLPK problem owned by the current thread: create, solve and delete on one thread (GLPK's
/// environment is thread-local; see TOOLCHAIN.md). Indices are checked here, because GLPK aborts
/// the process on a bad index.
final class GLPKProblem {
    private let problem: OpaquePointer
    private(set) var rowCount = 0
    private(set) var columnCount = 0

    init(minimize: Bool = true) {
        // Clique-cut setup prints even at GLP_MSG_OFF; terminal output is per thread, so switch it off here.
        glp_term_out(GLP_OFF)
        problem = glp_create_prob()
        glp_set_obj_dir(problem, minimize ? GLP_MIN : GLP_MAX)
    }

    deinit { glp_delete_prob(problem) }

    /// Adds a row `lower ≤ Σ ≤ upper` (nil = unbounded side) and returns its 1-based index.
    @discardableResult
    func addRow(name: String, lower: Double?, upper: Double?) -> Int32 {
        let i = glp_add_rows(problem, 1)
        rowCount += 1
        glp_set_row_name(problem, i, name)
        glp_set_row_bnds(problem, i, Self.boundKind(lower, upper), lower ?? 0, upper ?? 0)
        return i
    }

    /// Adds a binary column with an objective coefficient and returns its 1-based index.
    @discardableResult
    func addBinaryColumn(cost: Double) -> Int32 {
        let j = glp_add_cols(problem, 1)
        columnCount += 1
        glp_set_col_kind(problem, j, GLP_BV)
        glp_set_obj_coef(problem, j, cost)
        return j
    }

    /// Loads the constraint matrix from (row, column, value) triples (1-based indices).
    func loadMatrix(rows: [Int32], columns: [Int32], values: [Double]) {
        precondition(rows.count == columns.count && rows.count == values.count)
        precondition(rows.allSatisfy { $0 >= 1 && Int($0) <= rowCount } && columns.allSatisfy { $0 >= 1 && Int($0) <= columnCount },
                     "matrix index out of range")
        var ia: [Int32] = [0] + rows, ja: [Int32] = [0] + columns, ar: [Double] = [0] + values
        glp_load_matrix(problem, Int32(rows.count), &ia, &ja, &ar)
    }

    enum Outcome: Equatable {
        case optimal, feasible, infeasible, noSolution
    }

    /// Solves the LP relaxation (dual simplex, silent); true when optimal.
    func solveRelaxation(milliseconds: Int) -> Bool {
        var simplex = glp_smcp()
        glp_init_smcp(&simplex)
        simplex.msg_lev = GLP_MSG_OFF
        simplex.meth = GLP_DUALP
        simplex.tm_lim = Int32(clamping: max(1, milliseconds))
        return glp_simplex(problem, &simplex) == 0 && glp_get_status(problem) == GLP_OPT
    }

    /// Objective of the LP relaxation after `solveRelaxation`.
    var relaxationObjective: Double { glp_get_obj_val(problem) }

    /// Reduced cost of column `j` in the LP relaxation.
    func reducedCost(_ j: Int32) -> Double {
        precondition(j >= 1 && Int(j) <= columnCount)
        return glp_get_col_dual(problem, j)
    }

    /// LP relaxation then branch and bound (clique cuts on), silent, within `milliseconds`. `start`
    /// (1-based column values, index 0 unused) is offered to GLPK as a heuristic solution at the first chance.
    func solveMIP(milliseconds: Int, start: [Double]?) -> Outcome {
        guard solveRelaxation(milliseconds: milliseconds) else { return .noSolution }
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
        parameters.clq_cuts = GLP_ON
        parameters.tm_lim = Int32(clamping: max(1, milliseconds))
        let state = CallbackState(start: start)
        parameters.cb_func = { tree, info in
            guard let tree, let info else { return }
            let state = Unmanaged<CallbackState>.fromOpaque(info).takeUnretainedValue()
            if glp_ios_reason(tree) == GLP_IHEUR, !state.offered, var start = state.start {
                state.offered = true
                _ = glp_ios_heur_sol(tree, &start)
            }
        }
        let code: Int32 = withExtendedLifetime(state) {
            parameters.cb_info = Unmanaged.passUnretained(state).toOpaque()
            return glp_intopt(problem, &parameters)
        }
        switch glp_mip_status(problem) {
        case GLP_OPT: return .optimal
        case GLP_FEAS: return .feasible
        case GLP_NOFEAS: return code == 0 ? .infeasible : .noSolution
        default: return .noSolution
        }
    }

    func columnValue(_ j: Int32) -> Double { glp_mip_col_val(problem, j) }
    var objective: Double { glp_mip_obj_val(problem) }

    private static func boundKind(_ lower: Double?, _ upper: Double?) -> Int32 {
        switch (lower, upper) {
        case (nil, nil): return GLP_FR
        case (_?, nil): return GLP_LO
        case (nil, _?): return GLP_UP
        case let (l?, u?): return l == u ? GLP_FX : GLP_DB
        }
    }

    private final class CallbackState {
        let start: [Double]?
        var offered = false
        init(start: [Double]?) { self.start = start }
    }
}
