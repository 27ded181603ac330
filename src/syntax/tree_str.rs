//! [`TreeStr`], the syntax tree's string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// A string of the tree: a name, a string's value, a comment. Never grown
/// once parsed, so a `Box<str>` (16 bytes, not a `String`'s 24, and never
/// room to spare), which reads, compares and prints as a `&str` does.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TreeStr(Box<str>);

impl TreeStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for TreeStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for TreeStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for TreeStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TreeStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for TreeStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for TreeStr {
    fn from(text: &str) -> TreeStr {
        TreeStr(text.into())
    }
}

impl From<String> for TreeStr {
    fn from(text: String) -> TreeStr {
        TreeStr(text.into_boxed_str())
    }
}

impl From<TreeStr> for String {
    fn from(text: TreeStr) -> String {
        text.0.into_string()
    }
}

impl From<&TreeStr> for String {
    fn from(text: &TreeStr) -> String {
        text.as_str().to_owned()
    }
}

impl PartialEq<str> for TreeStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for TreeStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for TreeStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<TreeStr> for str {
    fn eq(&self, other: &TreeStr) -> bool {
        *self == *other.0
    }
}

impl PartialEq<TreeStr> for &str {
    fn eq(&self, other: &TreeStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<TreeStr> for String {
    fn eq(&self, other: &TreeStr) -> bool {
        **self == *other.0
    }
}
