import CGLPK

/// How a GLPK solve ended: every return code of `glp_simplex` / `glp_intopt` and every solution
/// status maps to one case, with a message for people (`description`).
public enum MILPTermination: Sendable, Hashable, CustomStringConvertible {
    /// Proven optimal (gap 0 within GLPK's tolerances).
    case optimal
    /// Stopped at the requested relative gap with an integer solution.
    case gapReached
    /// Stopped at the time limit; an integer solution may exist (see the outcome's objective).
    case timeLimit
    /// Stopped by the caller (`shouldStop`).
    case stopped
    /// Proven: no integer solution (the LP relaxation or branch and bound found none).
    case infeasible
    /// The LP relaxation is unbounded (a modelling error: every model here has bounded columns).
    case unbounded
    /// GLPK could not solve the model.
    case failed(MILPFailure)

    /// After `glp_simplex` did not end optimal.
    init(simplexCode code: Int32, lpStatus: Int32) {
        switch code {
        case 0:
            switch lpStatus {
            case GLP_NOFEAS, GLP_INFEAS: self = .infeasible
            case GLP_UNBND: self = .unbounded
            default: self = .failed(.undefinedSolution)
            }
        case GLP_ETMLIM: self = .timeLimit
        default: self = .failed(MILPFailure(code: code))
        }
    }

    /// After `glp_intopt`.
    init(intoptCode code: Int32, mipStatus: Int32) {
        switch code {
        case 0:
            switch mipStatus {
            case GLP_OPT: self = .optimal
            case GLP_NOFEAS: self = .infeasible
            default: self = .failed(.undefinedSolution)
            }
        case GLP_ETMLIM: self = .timeLimit
        case GLP_EMIPGAP: self = .gapReached
        case GLP_ESTOP: self = .stopped
        case GLP_ENOPFS, GLP_ENOFEAS: self = .infeasible
        case GLP_ENODFS: self = .unbounded
        default: self = .failed(MILPFailure(code: code))
        }
    }

    public var description: String {
        switch self {
        case .optimal: return "proven optimal"
        case .gapReached: return "stopped at the requested optimality gap"
        case .timeLimit: return "stopped at the time limit"
        case .stopped: return "stopped on request"
        case .infeasible: return "proven infeasible: no solution satisfies every constraint"
        case .unbounded: return "the relaxation is unbounded (a modelling error)"
        case .failed(let failure): return "GLPK failed: \(failure)"
        }
    }
}

/// Why GLPK could not solve a model (its error codes, named).
public enum MILPFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No rows or no columns: nothing to solve (checked before GLPK is called).
    case emptyModel
    /// A column or row has a lower bound above its upper bound (`GLP_EBOUND`).
    case invalidBounds
    /// The basis matrix is singular or ill-conditioned (`GLP_ESING`, `GLP_ECOND`, `GLP_EBADB`).
    case numericalTrouble
    /// The simplex method failed or became unstable (`GLP_EFAIL`, `GLP_EINSTAB`, `GLP_ENOCVG`).
    case solverFailure
    /// The LP relaxation was not solved to optimality before branch and bound (`GLP_EROOT`).
    case rootNotOptimal
    /// An iteration limit was hit (`GLP_EITLIM`).
    case iterationLimit
    /// An objective limit was reached (`GLP_EOBJLL`, `GLP_EOBJUL`; not set by this wrapper).
    case objectiveLimit
    /// GLPK refused the data (`GLP_EDATA`, `GLP_ERANGE`).
    case invalidData
    /// GLPK ended without a defined solution status.
    case undefinedSolution
    /// A code this wrapper does not know.
    case other(code: Int32)

    init(code: Int32) {
        switch code {
        case GLP_EBOUND: self = .invalidBounds
        case GLP_ESING, GLP_ECOND, GLP_EBADB: self = .numericalTrouble
        case GLP_EFAIL, GLP_EINSTAB, GLP_ENOCVG: self = .solverFailure
        case GLP_EROOT: self = .rootNotOptimal
        case GLP_EITLIM: self = .iterationLimit
        case GLP_EOBJLL, GLP_EOBJUL: self = .objectiveLimit
        case GLP_EDATA, GLP_ERANGE: self = .invalidData
        default: self = .other(code: code)
        }
    }

    public var description: String {
        switch self {
        case .emptyModel: return "the model has no rows or no columns"
        case .invalidBounds: return "a variable or constraint has its lower bound above its upper bound"
        case .numericalTrouble: return "numerical trouble: the basis matrix is singular or ill-conditioned"
        case .solverFailure: return "the simplex method failed (numerical instability)"
        case .rootNotOptimal: return "the LP relaxation was not solved to optimality"
        case .iterationLimit: return "the simplex iteration limit was reached"
        case .objectiveLimit: return "an objective limit was reached"
        case .invalidData: return "GLPK refused the model data (invalid or out of range)"
        case .undefinedSolution: return "GLPK ended without a defined solution"
        case .other(let code): return "GLPK returned code \(code)"
        }
    }
}

/// A progress sample from branch and cut, in the model's objective units.
public struct MILPProgress: Sendable, Hashable {
    public var seconds: Double
    /// Best integer solution so far, if any.
    public var incumbent: Double?
    /// Best proven lower bound.
    public var bound: Double
    /// Nodes selected so far.
    public var nodes: Int
}
