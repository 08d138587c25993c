//! PHP values in: PHP strings are bytes, handed to the core's host entry
//! as they are (identity fields strictly, secrets and tokens leniently);
//! PHP ints are i64, which always fit the core's integer-id bound.

use std::borrow::Cow;

use ext_php_rs::exception::PhpResult;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::Zval;
use teamweb_identity::host::{self, Field};

use crate::errors::{to_php, type_error};

/// A `string|int` argument (an id, an assistant id): its text, borrowed
/// from a PHP string or written from a PHP int.
pub enum TextOrInt<'a> {
    Text(&'a [u8]),
    Int(i64),
}

impl<'a> TextOrInt<'a> {
    /// `value` as `string|int`, or PHP's `TypeError` for any other type
    /// (no coercion: a float, bool or null id is a mistake, not an id).
    pub fn from_zval(value: &'a Zval, function: &str, position: u32, parameter: &str) -> PhpResult<Self> {
        if let Some(number) = value.long() {
            return Ok(TextOrInt::Int(number));
        }
        match value.zend_str() {
            Some(text) => Ok(TextOrInt::Text(text.as_bytes())),
            None => Err(type_error(format!(
                "{function}(): Argument #{position} (${parameter}) must be of type string|int, {} given",
                type_name(value)
            ))),
        }
    }

    /// The decimal text of an int, or the string's bytes.
    pub fn bytes(&self) -> Cow<'a, [u8]> {
        match *self {
            TextOrInt::Text(bytes) => Cow::Borrowed(bytes),
            TextOrInt::Int(number) => Cow::Owned(number.to_string().into_bytes()),
        }
    }
}

/// PHP's name for the type of `value`, as its own type errors say it.
fn type_name(value: &Zval) -> String {
    match value.get_type() {
        DataType::Null => "null".into(),
        DataType::False | DataType::True | DataType::Bool => "bool".into(),
        DataType::Double => "float".into(),
        DataType::Array => "array".into(),
        DataType::Object(_) => value
            .object()
            .and_then(|object| object.get_class_name().ok())
            .unwrap_or_else(|| "object".into()),
        DataType::Resource => "resource".into(),
        _ => "mixed".into(),
    }
}

/// The identity's three fields as the core wants them: the id's text
/// (strict UTF-8, from the core), and `name`/`email` (`null` or `""` absent).
pub struct Fields<'a> {
    id: Cow<'a, [u8]>,
    name: Option<&'a [u8]>,
    email: Option<&'a [u8]>,
}

impl<'a> Fields<'a> {
    pub fn new(id: TextOrInt<'a>, name: Option<&'a [u8]>, email: Option<&'a [u8]>) -> Self {
        Fields { id: id.bytes(), name, email }
    }

    /// Hands the fields, checked as text by the core, to `make`.
    pub fn with<R>(&self, make: impl FnOnce(teamweb_identity::IdentityFields<'_>) -> Result<R, teamweb_identity::Error>) -> PhpResult<R> {
        let fields = (|| {
            Ok(teamweb_identity::IdentityFields {
                id: host::field_from_utf8(Field::Id, &self.id)?,
                name: host::optional_field_from_utf8(Field::Name, self.name)?,
                email: host::optional_field_from_utf8(Field::Email, self.email)?,
            })
        })()
        .map_err(to_php)?;
        make(fields).map_err(to_php)
    }
}
