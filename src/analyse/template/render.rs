//! Renders checked templates with one shared context per environment.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use minijinja::value::{Object, Value as JinjaValue};
use minijinja::{Environment as Jinja, Template, UndefinedBehavior};

pub(crate) use super::path_template::PathTemplate;
use super::shared_context::SharedContext;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Port;
use crate::syntax::ast::StringLit;

/// Renders templates with one shared context per environment.
pub struct Renderer {
    jinja: Jinja<'static>,
    /// The plain-lookup form of each source that reads `self`, parsed
    /// once: many components write the same template
    /// (`{{ self.name }}-{{ env.name }}`).
    paths: RefCell<fnv::FnvHashMap<String, Option<Rc<PathTemplate>>>>,
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer {
            jinja: environment(),
            paths: RefCell::default(),
        }
    }
}

/// The minijinja environment templates are rendered in: an undefined name
/// is an error, and a value's last line break is kept.
pub(super) fn environment() -> Jinja<'static> {
    let mut jinja = Jinja::new();
    jinja.set_undefined_behavior(UndefinedBehavior::Strict);
    jinja.set_keep_trailing_newline(true);
    jinja
}

/// The template context of one component: `self` plus the shared context,
/// noting whether a render asked for `self` or `env`.
#[derive(Debug)]
struct ComponentContext {
    shared: SharedContext,
    this: JinjaValue,
    asked_self: AtomicBool,
    asked_env: AtomicBool,
}

impl Object for ComponentContext {
    fn get_value(self: &Arc<Self>, key: &JinjaValue) -> Option<JinjaValue> {
        match key.as_str() {
            Some("self") => {
                self.asked_self.store(true, Ordering::Relaxed);
                return Some(self.this.clone());
            }
            Some("env") => self.asked_env.store(true, Ordering::Relaxed),
            _ => {}
        }
        self.shared.get(key.as_str()?)
    }
}

/// A rendered template, and what of its context it read. A template's only
/// way to its context is a lookup of a top-level name, and the shared
/// contexts of two environments differ only under `env` (two components'
/// contexts only under `self`): a render that never asked for `env` gives
/// the same text in every environment.
#[derive(Debug)]
pub struct Rendered {
    pub text: String,
    pub asked_self: bool,
    pub asked_env: bool,
}

/// A template made ready once for every environment it is rendered for: as
/// plain lookups when it is only that, else compiled by minijinja when first
/// needed (a compile error is reported when it is rendered).
pub(crate) struct Compiled<'r, 's> {
    source: &'s str,
    paths: Option<Rc<PathTemplate>>,
    jinja: OnceCell<Result<Template<'r, 's>, minijinja::Error>>,
}

impl Compiled<'_, '_> {
    /// The template as text and plain dotted names, when it is only that.
    pub(crate) fn paths(&self) -> Option<&PathTemplate> {
        self.paths.as_deref()
    }
}

impl Renderer {
    /// Prepares `source` (the protected value of a literal), parsing it
    /// unless [`Renderer::keep`] kept it.
    pub fn compile<'s>(&self, source: &'s str) -> Compiled<'_, 's> {
        let kept = self.paths.borrow().get(source).cloned();
        let paths = kept.unwrap_or_else(|| PathTemplate::parse(source).map(Rc::new));
        Compiled {
            source,
            paths,
            jinja: OnceCell::new(),
        }
    }

    /// Keeps the parsed form of `compiled` for the next component writing
    /// the same source: only for a template that reads `self` (the values
    /// of any other are reused whole, and keeping theirs held one parsed
    /// template per distinct source for nothing).
    pub fn keep(&self, compiled: &Compiled) {
        let mut paths = self.paths.borrow_mut();
        if !paths.contains_key(compiled.source) {
            paths.insert(compiled.source.to_string(), compiled.paths.clone());
        }
    }

    /// Renders `compiled` (made from `literal`) for one context, noting
    /// whether it read `self` or `env`.
    pub fn render<'r>(
        &'r self,
        compiled: &Compiled<'r, '_>,
        literal: &StringLit,
        shared: &SharedContext,
        this: &JinjaValue,
        environment: &str,
    ) -> Result<Rendered, Diagnostic> {
        let context = Arc::new(ComponentContext {
            shared: shared.clone(),
            this: this.clone(),
            asked_self: AtomicBool::new(false),
            asked_env: AtomicBool::new(false),
        });
        let direct = compiled
            .paths
            .as_ref()
            .and_then(|paths| paths.render(|name| context.get_value(&JinjaValue::from(name))));
        let text = match direct {
            Some(text) => text,
            None => {
                let template = compiled
                    .jinja
                    .get_or_init(|| self.jinja.template_from_str(compiled.source))
                    .as_ref()
                    .map_err(|error| cannot_render(error, literal, environment))?;
                template
                    .render(JinjaValue::from_dyn_object(context.clone()))
                    .map_err(|error| cannot_render(&error, literal, environment))?
            }
        };
        Ok(Rendered {
            text,
            asked_self: context.asked_self.load(Ordering::Relaxed),
            asked_env: context.asked_env.load(Ordering::Relaxed),
        })
    }
}

/// The diagnostic for a template that fails to compile or render.
fn cannot_render(error: &minijinja::Error, literal: &StringLit, environment: &str) -> Diagnostic {
    let detail = error.detail().unwrap_or("").to_string();
    let message = if detail.is_empty() {
        format!(
            "this template cannot be rendered for environment `{environment}`: {}",
            error.kind()
        )
    } else {
        format!("this template cannot be rendered for environment `{environment}`: {detail}")
    };
    Diagnostic::error(Code::TemplateSyntax, message)
        .at(literal.span)
        .with_help(
            "templates are minijinja expressions over `env`, `stack`, `self` and the components",
        )
}

/// Builds `{ name, host, image, ports, published }` for one component:
/// `ports.NAME` is a container port, `published.NAME` the host port of a
/// published one.
pub fn component_value(name: &str, image: &str, ports: &[Port]) -> JinjaValue {
    let published: BTreeMap<String, JinjaValue> = ports
        .iter()
        .filter_map(|p| Some((p.name.clone(), JinjaValue::from(p.published?))))
        .collect();
    let ports: BTreeMap<String, JinjaValue> = ports
        .iter()
        .map(|p| (p.name.clone(), JinjaValue::from(p.container)))
        .collect();
    let mut map = BTreeMap::new();
    map.insert("name".to_string(), JinjaValue::from(name));
    map.insert("host".to_string(), JinjaValue::from(name));
    map.insert("image".to_string(), JinjaValue::from(image));
    map.insert("ports".to_string(), JinjaValue::from(ports));
    map.insert("published".to_string(), JinjaValue::from(published));
    JinjaValue::from(map)
}
