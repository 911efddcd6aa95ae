//! Token binding checks: a provider accepts only tokens issued for it (RFC 8707 audience) and
//! presented by the key they are bound to (RFC 9449 DPoP), each proof once, for its own request.
//!
//! They need DPoP-bound tokens from the issuer (`--token-from`) and a token of the same citizen for
//! another provider of the federation (`--other-provider`).

use crate::checks::{Outcome, Target};
use crate::token::{Credential, DpopKey};
use reqwest::StatusCode;

fn expect_refused(status: StatusCode, what: &str) -> Result<(), String> {
    if status == StatusCode::UNAUTHORIZED {
        Ok(())
    } else {
        Err(format!("{what}: HTTP {status}, expected 401"))
    }
}

fn bound(credential: &Credential) -> Result<&DpopKey, String> {
    credential
        .key
        .as_deref()
        .ok_or_else(|| "needs DPoP-bound tokens from the issuer (--token-from)".to_owned())
}

/// Runs the binding checks against `target`.
pub async fn run(target: &Target) -> Vec<Outcome> {
    let client = reqwest::Client::new();
    let list = format!("{}/v1/demandes", target.provider.trim_end_matches('/'));
    let token = &target.token_a.access_token;
    let get = |authorization: String, proofs: Vec<String>| {
        let mut request = client.get(&list).header("authorization", authorization);
        for proof in proofs {
            request = request.header("dpop", proof);
        }
        async move {
            request
                .send()
                .await
                .map(|r| r.status())
                .map_err(|e| e.to_string())
        }
    };
    let mut out = Vec::new();

    let result = async {
        let other = target
            .other_provider_token
            .as_ref()
            .ok_or("needs a token for another provider (--other-provider)")?;
        let key = bound(other)?;
        let proof = key.proof("GET", &list, Some(&other.access_token));
        let status = get(format!("DPoP {}", other.access_token), vec![proof]).await?;
        expect_refused(status, "another provider's token with a valid proof")
    }
    .await;
    out.push(Outcome {
        name: "tokens: a token issued for another provider is refused (audience)",
        result,
    });

    let result = async {
        let key = bound(&target.token_a)?;
        let proof = key.proof("GET", &list, Some(token));
        let first = get(format!("DPoP {token}"), vec![proof.clone()]).await?;
        if first != StatusCode::OK {
            return Err(format!(
                "the token with a fresh proof: HTTP {first}, expected 200"
            ));
        }
        let again = get(format!("DPoP {token}"), vec![proof]).await?;
        expect_refused(again, "the same proof a second time")
    }
    .await;
    out.push(Outcome {
        name: "tokens: a replayed DPoP proof is refused",
        result,
    });

    let result = async {
        bound(&target.token_a)?;
        let alone = get(format!("DPoP {token}"), vec![]).await?;
        expect_refused(alone, "the bound token without a proof")?;
        let bearer = get(format!("Bearer {token}"), vec![]).await?;
        expect_refused(bearer, "the bound token as a bearer token")
    }
    .await;
    out.push(Outcome {
        name: "tokens: a bound token without its proof is refused",
        result,
    });

    let result = async {
        let key = bound(&target.token_a)?;
        let other_path = key.proof("GET", &format!("{list}/autre"), Some(token));
        let status = get(format!("DPoP {token}"), vec![other_path]).await?;
        expect_refused(status, "a proof for another URL")?;
        let other_method = key.proof("POST", &list, Some(token));
        let status = get(format!("DPoP {token}"), vec![other_method]).await?;
        expect_refused(status, "a proof for another method")?;
        let stranger = DpopKey::generate().map_err(|e| e.to_string())?;
        let status = get(
            format!("DPoP {token}"),
            vec![stranger.proof("GET", &list, Some(token))],
        )
        .await?;
        expect_refused(status, "a proof signed by another key")
    }
    .await;
    out.push(Outcome {
        name: "tokens: a proof for another URL, method or key is refused",
        result,
    });
    out
}
