import CGLPK

/// GLPK codes re-exported so that files without `import CGLPK` can compare them.
enum GLPKStatus {
    static let optimal = GLP_OPT
    static let feasible = GLP_FEAS
    static let noFeasible = GLP_NOFEAS
    static let timeLimit = GLP_ETMLIM
    static let mipGap = GLP_EMIPGAP
}
