//! How a Rollout runs its component's AnalysisTemplate.

use serde::Serialize;

/// The AnalysisTemplate argument naming the namespace the Rollout runs in,
/// which the queries select the ingress's metrics by.
pub const NAMESPACE_ARG: &str = "namespace";

/// Argo Rollouts' `RolloutAnalysis`: the template, and the arguments the
/// Rollout gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutAnalysis {
    pub templates: Vec<AnalysisTemplateRef>,
    pub args: Vec<AnalysisRunArgument>,
}

/// A template of the Rollout's namespace, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisTemplateRef {
    pub template_name: String,
}

/// An argument read from the Rollout's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisRunArgument {
    pub name: String,
    pub value_from: ArgumentValueFrom,
}

/// Where an argument's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArgumentValueFrom {
    pub field_ref: FieldRef,
}

/// A field of the Rollout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldRef {
    pub field_path: String,
}

impl RolloutAnalysis {
    /// The template `template` (named after the component), given the
    /// Rollout's namespace.
    pub fn of(template: &str) -> RolloutAnalysis {
        RolloutAnalysis {
            templates: vec![AnalysisTemplateRef {
                template_name: template.to_string(),
            }],
            args: vec![AnalysisRunArgument {
                name: NAMESPACE_ARG.to_string(),
                value_from: ArgumentValueFrom {
                    field_ref: FieldRef {
                        field_path: "metadata.namespace".to_string(),
                    },
                },
            }],
        }
    }
}
