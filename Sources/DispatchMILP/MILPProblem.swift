import CGLPK
import DispatchCore

/// A GLPK problem owned by the current thread (create, solve and delete on one thread; see
/// TOOLCHAIN.md): binary and continuous columns, rows with bounds, the LP relaxation with reduced
/// costs, and branch and cut with a warm start offered at `GLP_IHEUR`, a global lower bound sampled
/// in the callback and raw GLPK codes. Terminal output is off (clique-cut setup prints even at
/// GLP_MSG_OFF, and `glp_term_out` is per thread, so it is switched off in `init`). Indices are
/// checked here, because GLPK aborts the process on a bad index.
final class MILPProblem {
    private let problem: OpaquePointer
    private(set) var rowCount = 0
    private(set) var columnCount = 0

    init() {
        glp_term_out(GLP_OFF)
        problem = glp_create_prob()
        glp_set_obj_dir(problem, GLP_MIN)
    }

    deinit { glp_delete_prob(problem) }

    /// Adds `count` columns with the same kind and bounds, named `name[0]`, `name[1]`, … (GLPK's
    /// messages and `writeLP` use the names); returns the first 1-based index.
    @discardableResult
    func addColumns(_ count: Int, binary: Bool, lower: Double = 0, upper: Double = 1, name: String? = nil) -> Int32 {
        precondition(count > 0)
        let first = glp_add_cols(problem, Int32(count))
        columnCount += count
        for j in first..<(first + Int32(count)) {
            if let name { glp_set_col_name(problem, j, "\(name)[\(j - first)]") }
            if binary {
                glp_set_col_kind(problem, j, GLP_BV)
            } else {
                glp_set_col_bnds(problem, j, lower == upper ? GLP_FX : GLP_DB, lower, upper)
            }
        }
        return first
    }

    func setBounds(column j: Int32, lower: Double, upper: Double) {
        precondition(j >= 1 && Int(j) <= columnCount && lower <= upper)
        glp_set_col_bnds(problem, j, lower == upper ? GLP_FX : GLP_DB, lower, upper)
    }

    func setCost(column j: Int32, _ cost: Double) {
        precondition(j >= 1 && Int(j) <= columnCount)
        glp_set_obj_coef(problem, j, cost)
    }

    /// Adds a row `lower ≤ Σ ≤ upper` (nil = unbounded side), optionally named, and returns its
    /// 1-based index. A lower bound above the upper one is kept: GLPK then reports `invalidBounds`.
    @discardableResult
    func addRow(lower: Double?, upper: Double?, name: String? = nil) -> Int32 {
        let i = glp_add_rows(problem, 1)
        rowCount += 1
        if let name { glp_set_row_name(problem, i, name) }
        let kind: Int32
        switch (lower, upper) {
        case (nil, nil): kind = GLP_FR
        case (_?, nil): kind = GLP_LO
        case (nil, _?): kind = GLP_UP
        case let (l?, u?): kind = l == u ? GLP_FX : GLP_DB
        }
        glp_set_row_bnds(problem, i, kind, lower ?? 0, upper ?? 0)
        return i
    }

    /// Adds a row `lower ≤ Σ value·column ≤ upper` with its coefficients, after `loadMatrix` (cuts
    /// between solves); returns its 1-based index.
    @discardableResult
    func addRow(lower: Double?, upper: Double?, name: String? = nil, entries: [(column: Int32, value: Double)]) -> Int32 {
        precondition(entries.allSatisfy { $0.column >= 1 && Int($0.column) <= columnCount }, "row entry out of range")
        let i = addRow(lower: lower, upper: upper, name: name)
        var ja: [Int32] = [0] + entries.map(\.column), ar: [Double] = [0] + entries.map(\.value)
        glp_set_mat_row(problem, i, Int32(entries.count), &ja, &ar)
        return i
    }

    func columnName(_ j: Int32) -> String? {
        precondition(j >= 1 && Int(j) <= columnCount)
        return glp_get_col_name(problem, j).map { String(cString: $0) }
    }

    func rowName(_ i: Int32) -> String? {
        precondition(i >= 1 && Int(i) <= rowCount)
        return glp_get_row_name(problem, i).map { String(cString: $0) }
    }

    /// Writes the model in CPLEX LP format (for reading a model by eye or in another solver).
    func writeLP(path: String) -> Bool { glp_write_lp(problem, nil, path) == 0 }

    /// Loads the constraint matrix from (row, column, value) triples (1-based indices).
    func loadMatrix(rows: [Int32], columns: [Int32], values: [Double]) {
        precondition(rows.count == columns.count && rows.count == values.count)
        precondition(rows.allSatisfy { $0 >= 1 && Int($0) <= rowCount } && columns.allSatisfy { $0 >= 1 && Int($0) <= columnCount },
                     "matrix index out of range")
        var ia: [Int32] = [0] + rows, ja: [Int32] = [0] + columns, ar: [Double] = [0] + values
        glp_load_matrix(problem, Int32(rows.count), &ia, &ja, &ar)
    }

    struct Outcome {
        /// How the solve ended, typed (see `MILPTermination`).
        var termination: MILPTermination
        /// Raw codes for diagnostics: `glp_simplex` on the root LP, then `glp_intopt` (-1 when not run).
        var simplexCode: Int32
        var intoptCode: Int32
        /// `glp_get_status` after the LP and `glp_mip_status` after branch and bound.
        var lpStatus: Int32
        var mipStatus: Int32
        var rootBound: Double
        /// Best proven lower bound (the objective when optimal).
        var lowerBound: Double
        var objective: Double?
        var warmStartAccepted: Bool
    }

    struct Options {
        var milliseconds: Int
        var cuts: (gmi: Bool, mir: Bool, cover: Bool, clique: Bool) = (false, false, false, false)
        var pseudocostBranching = false
        var bestProjection = false
        /// Stop when (incumbent − bound) / incumbent is at most this (0: prove optimality).
        var mipGap = 0.0
        /// GLPK's own progress output on the terminal.
        var verbose = false
        /// Called from branch and cut (on this thread) when the incumbent improves or the bound
        /// rises, sampled every `progressEvery` node selections.
        var progress: ((MILPProgress) -> Void)?
        var progressEvery = 200
        /// Polled in the callback; true stops the search (`GLP_ESTOP`, termination `.stopped`).
        var shouldStop: (() -> Bool)?
        /// Stop (as `shouldStop`) after this many node selections: a limit that, unlike time, gives
        /// the same answer on every run.
        var nodeLimit: Int?
    }

    /// Root LP (`glp_simplex`, presolve off), then `glp_intopt`, silent, within the time limit.
    /// `start` (1-based column values, index 0 unused) is offered once at `GLP_IHEUR`.
    func solve(_ options: Options, start: [Double]?) -> Outcome {
        guard rowCount > 0, columnCount > 0 else {
            return Outcome(termination: .failed(.emptyModel), simplexCode: -1, intoptCode: -1, lpStatus: GLP_UNDEF, mipStatus: GLP_UNDEF,
                           rootBound: -.infinity, lowerBound: -.infinity, objective: nil, warmStartAccepted: false)
        }
        if let start { precondition(start.count == columnCount + 1, "warm start has \(start.count - 1) values for \(columnCount) columns") }
        let clock = ContinuousClock()
        let began = clock.now
        if options.verbose { glp_term_out(GLP_ON) }
        defer { glp_term_out(GLP_OFF) }
        var simplex = glp_smcp()
        glp_init_smcp(&simplex)
        simplex.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF
        simplex.meth = GLP_DUALP
        simplex.tm_lim = Int32(clamping: max(1, options.milliseconds))
        let simplexCode = glp_simplex(problem, &simplex)
        let lpStatus = glp_get_status(problem)
        guard simplexCode == 0, lpStatus == GLP_OPT else {
            let termination = MILPTermination(simplexCode: simplexCode, lpStatus: lpStatus)
            return Outcome(termination: termination, simplexCode: simplexCode, intoptCode: -1, lpStatus: lpStatus, mipStatus: GLP_UNDEF,
                           rootBound: -.infinity, lowerBound: -.infinity, objective: nil, warmStartAccepted: false)
        }
        let root = glp_get_obj_val(problem)
        let spent = clock.now - began
        let left = options.milliseconds - spent.milliseconds

        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF
        parameters.mip_gap = max(0, options.mipGap)
        parameters.presolve = GLP_OFF
        parameters.gmi_cuts = options.cuts.gmi ? GLP_ON : GLP_OFF
        parameters.mir_cuts = options.cuts.mir ? GLP_ON : GLP_OFF
        parameters.cov_cuts = options.cuts.cover ? GLP_ON : GLP_OFF
        parameters.clq_cuts = options.cuts.clique ? GLP_ON : GLP_OFF
        if options.pseudocostBranching { parameters.br_tech = GLP_BR_PCH }
        if options.bestProjection { parameters.bt_tech = GLP_BT_BPH }
        parameters.tm_lim = Int32(clamping: max(1, left))
        let state = CallbackState(start: start, root: root, options: options, began: began)
        parameters.cb_func = { tree, info in
            guard let tree, let info else { return }
            Unmanaged<CallbackState>.fromOpaque(info).takeUnretainedValue().handle(tree)
        }
        let code: Int32 = withExtendedLifetime(state) {
            parameters.cb_info = Unmanaged.passUnretained(state).toOpaque()
            return glp_intopt(problem, &parameters)
        }
        let mipStatus = glp_mip_status(problem)
        let objective: Double? = (mipStatus == GLP_OPT || mipStatus == GLP_FEAS) ? glp_mip_obj_val(problem) : nil
        var bound = state.bound
        if mipStatus == GLP_OPT, let objective { bound = objective }
        if let objective { bound = min(bound, objective) }
        return Outcome(termination: MILPTermination(intoptCode: code, mipStatus: mipStatus), simplexCode: simplexCode, intoptCode: code,
                       lpStatus: lpStatus, mipStatus: mipStatus, rootBound: root, lowerBound: bound, objective: objective,
                       warmStartAccepted: state.accepted)
    }

    /// Scales rows and columns (GLPK's automatic choice) for numerical stability; the solution is
    /// reported unscaled.
    func scale() { glp_scale_prob(problem, GLP_SF_AUTO) }

    /// Solves the LP relaxation only (dual simplex, silent); true when optimal.
    func solveRelaxation(milliseconds: Int) -> Bool {
        var simplex = glp_smcp()
        glp_init_smcp(&simplex)
        simplex.msg_lev = GLP_MSG_OFF
        simplex.meth = GLP_DUALP
        simplex.tm_lim = Int32(clamping: max(1, milliseconds))
        let code = glp_simplex(problem, &simplex)
        let status = glp_get_status(problem)
        relaxationStatus = code == 0 && status == GLP_OPT ? .optimal : MILPTermination(simplexCode: code, lpStatus: status)
        return relaxationStatus == .optimal
    }

    /// How the last `solveRelaxation` ended.
    private(set) var relaxationStatus: MILPTermination = .failed(.undefinedSolution)

    /// Objective of the LP relaxation after `solveRelaxation`.
    var relaxationObjective: Double { glp_get_obj_val(problem) }

    /// Reduced cost of column `j` in the LP relaxation.
    func reducedCost(_ j: Int32) -> Double {
        precondition(j >= 1 && Int(j) <= columnCount)
        return glp_get_col_dual(problem, j)
    }

    func columnValue(_ j: Int32) -> Double {
        precondition(j >= 1 && Int(j) <= columnCount)
        return glp_mip_col_val(problem, j)
    }

    /// State of one `glp_intopt` call, reached from the C callback through `cb_info`.
    private final class CallbackState {
        let start: [Double]?
        let options: Options
        let began: ContinuousClock.Instant
        var offered = false
        var accepted = false
        var bound: Double
        var selections = 0
        var reportedIncumbent = Double.infinity
        var reportedBound = -Double.infinity

        init(start: [Double]?, root: Double, options: Options, began: ContinuousClock.Instant) {
            self.start = start
            self.options = options
            self.began = began
            bound = root
        }

        func handle(_ tree: OpaquePointer) {
            let reason = glp_ios_reason(tree)
            if reason == GLP_IHEUR, !offered, var start {
                offered = true
                accepted = glp_ios_heur_sol(tree, &start) == 0
            }
            if reason == GLP_ISELECT {
                selections += 1
                let best = glp_ios_best_node(tree)
                if best != 0 { bound = max(bound, glp_ios_node_bound(tree, best)) }
                if selections % max(1, options.progressEvery) == 1 { report(tree) }
                if let shouldStop = options.shouldStop, shouldStop() { glp_ios_terminate(tree) }
                if let limit = options.nodeLimit, selections > limit { glp_ios_terminate(tree) }
            }
            if reason == GLP_IBINGO { report(tree) }
        }

        /// Reports the incumbent (GLPK's own heuristics do not raise GLP_IBINGO, so it is also
        /// sampled at node selection) and the bound when either changed.
        private func report(_ tree: OpaquePointer) {
            guard let progress = options.progress else { return }
            // glp_ios_mip_gap is DBL_MAX while there is no incumbent.
            let hasIncumbent = glp_ios_mip_gap(tree) < Double.greatestFiniteMagnitude
            let incumbent = hasIncumbent ? glp_mip_obj_val(glp_ios_get_prob(tree)) : Double.infinity
            guard incumbent < reportedIncumbent || bound > reportedBound + 1e-9 else { return }
            reportedIncumbent = min(reportedIncumbent, incumbent)
            reportedBound = bound
            progress(MILPProgress(seconds: (ContinuousClock.now - began).seconds, incumbent: hasIncumbent ? incumbent : nil,
                                  bound: bound, nodes: selections))
        }
    }
}
