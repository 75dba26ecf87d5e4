//! Library views straight to Python objects: a `serde::Serializer` whose output is the object
//! that `json.loads` makes of `serde_json`'s text for the same value, without the text.
//!
//! It sits between the library's `serde` views (hits, summaries, documents, dictionary rows,
//! stats) and [`crate::index`], which calls [`to_py`] with the GIL held. The JSON rules it
//! follows (so that the dicts equal the CLI's JSON objects): maps and structs become `dict`s
//! (map keys become strings: integers, bools and finite floats in their JSON spelling),
//! sequences, tuples and byte strings `list`s, `Option::None` and `()` `None`, non-finite
//! floats `None` (JSON's `null`), an `f32` the `float` of its shortest decimal spelling (as
//! `serde_json` prints it, not its exact binary value), unit variants their name and other enum
//! variants `{variant: value}` (serde's externally tagged form). Struct field names, unit
//! variant names, short map keys and short string values are made into Python strings once per
//! call and shared by every dict that uses them.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// Converts `value` to the Python object `json.loads(serde_json::to_string(value))` gives.
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let mut conv = Converter {
        py,
        names: HashMap::default(),
        keys: HashMap::default(),
    };
    value.serialize(&mut conv).map_err(Error::into_py)
}

/// Why a value could not be converted: a Python error, or a shape JSON cannot hold (a map key
/// that is not a string, number or bool; a non-finite float key; a serde impl's own error).
#[derive(Debug)]
pub(crate) enum Error {
    Py(PyErr),
    Shape(String),
}

impl Error {
    fn into_py(self) -> PyErr {
        match self {
            Error::Py(e) => e,
            Error::Shape(m) => pyo3::exceptions::PyValueError::new_err(m),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Py(e) => write!(f, "{e}"),
            Error::Shape(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Shape(msg.to_string())
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error::Py(e)
    }
}

type Result<T> = std::result::Result<T, Error>;

/// Map keys and string values up to this many bytes are cached (entity types and IDs, span
/// texts, metadata field names); longer ones are rarely repeated.
const CACHED_KEY_BYTES: usize = 24;
/// At most this many distinct short strings are cached per call.
const CACHED_KEYS: usize = 256;

/// A multiply-rotate hash (FxHash's) for the name caches: their keys are a few short strings
/// or addresses chosen by the program, so SipHash's protection is not needed, and it cost more
/// than the dict insertions it served.
#[derive(Default)]
struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let mut tail = [0u8; 8];
        let rest = words.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail));
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The serializer's state: the Python strings made so far for names and keys.
struct Converter<'py> {
    py: Python<'py>,
    /// Static names (struct fields, variants), by address and length.
    names: FastMap<(usize, usize), Bound<'py, PyString>>,
    /// Short map keys and string values, by content.
    keys: FastMap<String, Bound<'py, PyString>>,
}

impl<'py> Converter<'py> {
    /// The Python string of a static name, made once per call.
    fn name(&mut self, name: &'static str) -> Bound<'py, PyString> {
        let py = self.py;
        self.names
            .entry((name.as_ptr() as usize, name.len()))
            .or_insert_with(|| PyString::new(py, name))
            .clone()
    }

    /// The Python string of a map key or string value (cached when short).
    fn key(&mut self, key: &str) -> Bound<'py, PyString> {
        if key.len() > CACHED_KEY_BYTES {
            return PyString::new(self.py, key);
        }
        if let Some(k) = self.keys.get(key) {
            return k.clone();
        }
        let k = PyString::new(self.py, key);
        if self.keys.len() < CACHED_KEYS {
            self.keys.insert(key.to_string(), k.clone());
        }
        k
    }

    fn int<I: IntoPyObject<'py>>(&self, v: I) -> Result<Bound<'py, PyAny>> {
        Ok(v.into_bound_py_any(self.py)?)
    }

    fn float(&self, v: f64) -> Bound<'py, PyAny> {
        if v.is_finite() {
            PyFloat::new(self.py, v).into_any()
        } else {
            self.py.None().into_bound(self.py)
        }
    }

    /// `{name: value}`: serde's externally tagged enum variant.
    fn tagged(
        &mut self,
        variant: &'static str,
        value: Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>> {
        let d = PyDict::new(self.py);
        d.set_item(self.name(variant), value)?;
        Ok(d.into_any())
    }
}

/// The `f64` that Python reads from `serde_json`'s spelling of an `f32` (its shortest
/// round-trip decimal form).
fn f32_as_json(v: f32) -> f64 {
    let mut buf = ryu::Buffer::new();
    // The shortest form of a finite f32 always parses; the fallback is never taken.
    buf.format_finite(v).parse().unwrap_or(f64::from(v))
}

/// `serialize_*` methods that hand their value to `self.$via`.
macro_rules! ints_via {
    ($via:ident; $($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<Self::Ok> {
            self.$via(v)
        })*
    };
}

impl<'a, 'py> ser::Serializer for &'a mut Converter<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = Seq<'a, 'py>;
    type SerializeMap = Map<'a, 'py>;
    type SerializeStruct = Map<'a, 'py>;
    type SerializeStructVariant = Map<'a, 'py>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        Ok(pyo3::types::PyBool::new(self.py, v).to_owned().into_any())
    }
    ints_via!(
        int;
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        Ok(match v.is_finite() {
            true => self.float(f32_as_json(v)),
            false => self.py.None().into_bound(self.py),
        })
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        Ok(self.float(v))
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        Ok(PyString::new(self.py, v.encode_utf8(&mut [0; 4])).into_any())
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        // Short values repeat (entity types and IDs, mention texts of spans): one object each.
        Ok(self.key(v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        Ok(PyList::new(self.py, v)?.into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        Ok(self.name(variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let inner = value.serialize(&mut *self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a, 'py>> {
        Ok(Seq {
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
            conv: self,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'a, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'a, 'py>> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'a, 'py>> {
        Ok(Map {
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
            conv: self,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'a, 'py>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map<'a, 'py>> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

/// A list being built (sequences, tuples, tuple structs and variants).
pub(crate) struct Seq<'a, 'py> {
    conv: &'a mut Converter<'py>,
    items: Vec<Bound<'py, PyAny>>,
    /// The tuple variant's name, which wraps the list in `{name: list}`.
    variant: Option<&'static str>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let v = value.serialize(&mut *self.conv)?;
        self.items.push(v);
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let list = PyList::new(self.conv.py, self.items)?.into_any();
        match self.variant {
            Some(v) => self.conv.tagged(v, list),
            None => Ok(list),
        }
    }
}

macro_rules! seq_impl {
    ($trait:ident, $method:ident) => {
        impl<'py> ser::$trait for Seq<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.push(value)
            }
            fn end(self) -> Result<Self::Ok> {
                self.finish()
            }
        }
    };
}
seq_impl!(SerializeSeq, serialize_element);
seq_impl!(SerializeTuple, serialize_element);
seq_impl!(SerializeTupleStruct, serialize_field);
seq_impl!(SerializeTupleVariant, serialize_field);

/// A dict being built (maps, structs, struct variants).
pub(crate) struct Map<'a, 'py> {
    conv: &'a mut Converter<'py>,
    dict: Bound<'py, PyDict>,
    /// The key given by `serialize_key`, waiting for its value.
    key: Option<Bound<'py, PyString>>,
    /// The struct variant's name, which wraps the dict in `{name: dict}`.
    variant: Option<&'static str>,
}

impl<'py> Map<'_, 'py> {
    fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<()> {
        let k = self.conv.name(name);
        let v = value.serialize(&mut *self.conv)?;
        self.dict.set_item(k, v)?;
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let dict = self.dict.into_any();
        match self.variant {
            Some(v) => self.conv.tagged(v, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(KeySerializer {
            conv: &mut *self.conv,
        })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let k = self
            .key
            .take()
            .ok_or_else(|| Error::Shape("map value without a key".into()))?;
        let v = value.serialize(&mut *self.conv)?;
        self.dict.set_item(k, v)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

macro_rules! struct_impl {
    ($trait:ident) => {
        impl<'py> ser::$trait for Map<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<()> {
                self.field(name, value)
            }
            fn end(self) -> Result<Self::Ok> {
                self.finish()
            }
        }
    };
}
struct_impl!(SerializeStruct);
struct_impl!(SerializeStructVariant);

/// Map keys, as `serde_json` writes them: strings as they are; integers, bools and finite
/// floats in their JSON spelling; anything else is an error.
struct KeySerializer<'a, 'py> {
    conv: &'a mut Converter<'py>,
}

impl<'py> KeySerializer<'_, 'py> {
    fn not_a_key() -> Error {
        Error::Shape("key must be a string".into())
    }

    /// A number, bool or char key in its JSON spelling.
    fn spelled(self, v: impl fmt::Display) -> Result<Bound<'py, PyString>> {
        Ok(self.conv.key(&v.to_string()))
    }
}

macro_rules! key_refused {
    ($($method:ident),*) => {
        $(fn $method(self) -> Result<Self::Ok> {
            Err(Self::not_a_key())
        })*
    };
}

impl<'py> ser::Serializer for KeySerializer<'_, 'py> {
    type Ok = Bound<'py, PyString>;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Self::Ok, Error>;
    type SerializeTuple = ser::Impossible<Self::Ok, Error>;
    type SerializeTupleStruct = ser::Impossible<Self::Ok, Error>;
    type SerializeTupleVariant = ser::Impossible<Self::Ok, Error>;
    type SerializeMap = ser::Impossible<Self::Ok, Error>;
    type SerializeStruct = ser::Impossible<Self::Ok, Error>;
    type SerializeStructVariant = ser::Impossible<Self::Ok, Error>;

    ints_via!(
        spelled;
        serialize_bool: bool, serialize_char: char,
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );
    key_refused!(serialize_none, serialize_unit);

    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        match v.is_finite() {
            true => Ok(self.conv.key(ryu::Buffer::new().format_finite(v))),
            false => Err(Error::Shape("float key must be finite".into())),
        }
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        match v.is_finite() {
            true => Ok(self.conv.key(ryu::Buffer::new().format_finite(v))),
            false => Err(Error::Shape("float key must be finite".into())),
        }
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(self.conv.key(v))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Self::Ok> {
        Err(Self::not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Self::Ok> {
        Err(Self::not_a_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        Err(Self::not_a_key())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        Ok(self.conv.name(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Self::Ok> {
        Err(Self::not_a_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Self::not_a_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Self::not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Self::not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Self::not_a_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Self::not_a_key())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Self::not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Self::not_a_key())
    }
}
