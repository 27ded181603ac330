//! Stable diagnostic codes. A code never changes meaning once released;
//! docs/language.md has a table of every one with an example.

macro_rules! codes {
    ($($variant:ident = $code:literal: $summary:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

codes! {
    Syntax = "E0001": "syntax error",
    NotUtf8 = "E0002": "a file is not valid UTF-8",
    OutsideRoot = "E0003": "an include or a path leaves the workspace root",
    IncludeNotFound = "E0004": "an include matches no file",
    Unreadable = "E0005": "an included file cannot be read",
    Duplicate = "E0101": "something is defined twice",
    UnknownDependency = "E0102": "a dependency names no component",
    DependencyCycle = "E0103": "components depend on each other in a cycle",
    UnknownPort = "E0104": "a port name that the component does not declare",
    UnknownTemplateReference = "E0105": "a `{{ }}` template refers to something not in its context",
    InvalidName = "E0106": "a name that Compose or the shell cannot use",
    PortPublishedTwice = "E0107": "two services publish the same host port",
    OutOfRange = "E0108": "a value outside its allowed range",
    UnknownAttribute = "E0109": "an attribute or block that does not exist here",
    WrongType = "E0110": "a value of the wrong type",
    MissingAttribute = "E0111": "a required attribute is missing",
    TemplateSyntax = "E0112": "a `{{ }}` template that does not parse or render",
    RuntimeReference = "E0113": "a malformed `${...}` run-time reference",
    UnknownEnvironment = "E0114": "an environment name that is not declared",
    FixtureTarget = "E0115": "fixtures loaded into a component that is not a dependency",
    PassThroughCollision = "E0116": "a `compose` pass-through key that stackc already writes",
    WrongOperator = "E0117": "an operator that this attribute does not take",
    MissingStack = "E0118": "the workspace has no `stack` block, or more than one",
    PassThroughRefused = "E0119": "a `compose` pass-through key or value that stackc cannot carry into its files",
    MissingPath = "E0120": "a path that names nothing in the workspace, or not what it must",
    CredentialInSpec = "E0121": "a value that looks like a credential where the name of a CI secret belongs",
    UnknownSuite = "E0122": "a test suite name that no component declares",
    CiName = "E0123": "a branch, runner label, variable or secret name that a CI system refuses",
    RepositoryRoot = "E0124": "a `repository_root` that is not a relative path up to a folder above the workspace",
    ResourceAmount = "E0125": "a CPU or memory amount that is not a positive quantity in a unit every orchestrator reads alike",
    PlacementConstraint = "E0126": "a placement constraint that is not `node.ATTRIBUTE == VALUE` or `!=` on an attribute both Swarm and Kubernetes know",
    OrchestratorCannot = "E0127": "something the spec says that an environment's orchestrator cannot carry",
    UnknownSecret = "E0128": "a `secrets` or `configs` entry that names nothing declared: no `secret` or `config` block, no variable of the component's `env`",
    AmbiguousSecret = "E0129": "a `secrets` entry that names both a declared `secret` and a variable of the component's `env`",
    ImportUnreadable = "E0140": "a file given to `stackc import` that cannot be read or is not YAML",
    ImportNotCompose = "E0141": "a file given to `stackc import` that is not a Compose file",
    ImportConflict = "E0142": "one service declared differently in two imported files",
    ImportReference = "E0143": "an `include` or `extends` that names no file or service",
    ImportNameClash = "E0144": "two services whose names give one component name",
    ImportNoImage = "E0145": "an imported service with no `image` whose `build` the import cannot carry",
    LiteralDollar = "W0001": "a `$` that is written literally, not a run-time reference",
    OutsideClosure = "W0002": "a template refers to a component that is not a dependency",
    NoEffect = "W0003": "a block or attribute that has no effect where it is written",
    LostDeployState = "W0004": "a CI deploy whose state would be lost",
    ImportDropped = "W0005": "a Compose key or value that `stackc import` cannot carry into the workspace",
    ImportApproximated = "W0006": "a Compose value that `stackc import` carries with a different form or meaning",
    ImportUnknownService = "W0007": "a dependency on a service that none of the imported files declares",
    ImportPathOutside = "W0008": "a path in a Compose file that leaves the folder the workspace is written to",
    ImportProfiles = "W0009": "Compose `profiles`, which `stackc import` leaves out",
}
