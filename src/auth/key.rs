//! The session's DPoP key, in WebCrypto: P-256, made non-extractable, so the private half can sign
//! but cannot be read by any script — not even this app's. It lives in this page's memory only:
//! a reload, a sign-out or a kiosk wipe drops it, and with it every token bound to it.

use super::dpop::{self, PublicJwk};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why the browser could not make or use the key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("ce navigateur ne sait pas signer la demande (WebCrypto) : {0}")]
pub struct KeyError(String);

fn key_error(e: JsValue) -> KeyError {
    KeyError(
        e.as_string()
            .or_else(|| Reflect::get(&e, &"message".into()).ok()?.as_string())
            .unwrap_or_else(|| "unavailable".into()),
    )
}

fn subtle() -> Result<web_sys::SubtleCrypto, KeyError> {
    crate::browser::subtle_crypto().ok_or_else(|| KeyError("no window.crypto".into()))
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&object, &(*name).into(), value);
    }
    object
}

/// A signing key that never leaves the page.
pub struct DpopKey {
    private: web_sys::CryptoKey,
    pub public: PublicJwk,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DpopKey")
            .field("public", &self.public)
            .finish()
    }
}

impl DpopKey {
    /// Makes a new key pair (ECDSA P-256, private half non-extractable).
    pub async fn generate() -> Result<DpopKey, KeyError> {
        let algorithm = object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]);
        let usages = Array::of2(&"sign".into(), &"verify".into());
        let pair = JsFuture::from(
            subtle()?
                .generate_key_with_object(&algorithm, false, &usages)
                .map_err(key_error)?,
        )
        .await
        .map_err(key_error)?;
        let private: web_sys::CryptoKey = Reflect::get(&pair, &"privateKey".into())
            .map_err(key_error)?
            .dyn_into()
            .map_err(key_error)?;
        let public_key: web_sys::CryptoKey = Reflect::get(&pair, &"publicKey".into())
            .map_err(key_error)?
            .dyn_into()
            .map_err(key_error)?;
        if private.extractable() {
            return Err(KeyError("the private key would be extractable".into()));
        }
        let jwk = JsFuture::from(
            subtle()?
                .export_key("jwk", &public_key)
                .map_err(key_error)?,
        )
        .await
        .map_err(key_error)?;
        let coordinate = |name: &str| {
            Reflect::get(&jwk, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .ok_or_else(|| KeyError(format!("no {name} in the public key")))
        };
        Ok(DpopKey {
            public: PublicJwk {
                x: coordinate("x")?,
                y: coordinate("y")?,
            },
            private,
        })
    }

    /// A fresh proof for `method url` (and for `access_token`, towards a provider).
    pub async fn proof(
        &self,
        method: &str,
        url: &str,
        access_token: Option<&str>,
    ) -> Result<String, KeyError> {
        let jti = random_id()?;
        let iat = (js_sys::Date::now() / 1000.0) as u64;
        let input = dpop::signing_input(&self.public, method, url, &jti, iat, access_token);
        let algorithm = object(&[
            ("name", "ECDSA".into()),
            ("hash", object(&[("name", "SHA-256".into())]).into()),
        ]);
        let bytes = input.clone().into_bytes();
        let signature = JsFuture::from(
            subtle()?
                .sign_with_object_and_u8_array(&algorithm, &self.private, &bytes)
                .map_err(key_error)?,
        )
        .await
        .map_err(key_error)?;
        let signature = Uint8Array::new(&signature).to_vec();
        Ok(dpop::assemble(&input, &signature))
    }
}

fn random_id() -> Result<String, KeyError> {
    let bytes = crate::browser::random_bytes::<16>().map_err(|e| KeyError(e.to_string()))?;
    Ok(super::pkce::random_token_16(&bytes))
}
