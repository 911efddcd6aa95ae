//! The provider API over real HTTP and a real SQLite file: every endpoint and every failure the
//! contract names.

mod common;

use common::*;
use contract::{Demande, DemandeList, Message, Problem, StatusBucket};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

async fn problem(response: reqwest::Response) -> Problem {
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.expect("a problem+json body")
}

#[tokio::test]
async fn the_whole_life_of_a_demande() {
    let p = start().await;
    // Discovery and the form are public.
    let discovery: serde_json::Value = p
        .client
        .get(format!("{}/v1", p.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["member"], "gien");
    assert_eq!(discovery["forms"].as_array().unwrap().len(), 2);
    let form = p
        .client
        .get(format!("{}/v1/forms/acte-naissance", p.url))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);

    // Submit for my child, with the proof of relationship.
    let created = p
        .submit(CAMILLE, "life-1", acte_for_my_child(PDF, "application/pdf"))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let summary: serde_json::Value = created.json().await.unwrap();
    let id = summary["id"].as_str().unwrap().to_owned();
    assert!(summary["reference"].as_str().unwrap().starts_with("TEST-"));
    assert_eq!(location, format!("/v1/demandes/{id}"));

    // It is in my list, submitted.
    let list: DemandeList = p
        .get("/v1/demandes", CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.demandes.len(), 1);
    assert_eq!(list.demandes[0].status.bucket, StatusBucket::Submitted);

    // The agent asks for a document: action required, with what is expected.
    agent_request_document(&p, &id, "Livret de famille complet").await;
    let d: Demande = p
        .get(&location, CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d.summary.status.bucket, StatusBucket::ActionRequired);
    assert_eq!(d.summary.expected[0].label, "Livret de famille complet");
    let expectation = d.summary.expected[0].id.clone();

    // I reply with the document: back in review, expectation closed.
    let reply = Form::new()
        .text(
            "reply",
            json!({ "body": "Voici le livret complet.", "answers_expectations": [expectation] })
                .to_string(),
        )
        .part(
            "livret",
            Part::bytes(PDF)
                .file_name("livret-complet.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let replied = p
        .client
        .post(format!("{}{location}/replies", p.url))
        .bearer_auth(p.token_for(CAMILLE))
        .header("idempotency-key", "reply-1")
        .multipart(reply)
        .send()
        .await
        .unwrap();
    assert_eq!(replied.status(), StatusCode::CREATED);
    let message: Message = replied.json().await.unwrap();
    assert_eq!(message.documents[0].name, "livret-complet.pdf");
    let d: Demande = p
        .get(&location, CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d.summary.status.bucket, StatusBucket::InReview);
    assert!(d.summary.expected.is_empty());
    assert_eq!(
        d.history.iter().map(|h| h.bucket).collect::<Vec<_>>(),
        [
            StatusBucket::Submitted,
            StatusBucket::ActionRequired,
            StatusBucket::InReview
        ]
    );
    assert_eq!(d.documents.len(), 2, "the proof and the reply's document");

    // Documents download with the token, as attachments.
    let doc = &d.documents[0];
    let download = p
        .get(&format!("{location}/documents/{}", doc.id), CAMILLE)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);

    // The agent accepts; a finished demande takes no more replies.
    provider::agent::set_status(&p.db().await, &id, "accepted", "Acte envoyé", None)
        .await
        .unwrap();
    let late = Form::new().text("reply", json!({ "body": "Merci" }).to_string());
    let refused = p
        .client
        .post(format!("{}{location}/replies", p.url))
        .bearer_auth(p.token_for(CAMILLE))
        .header("idempotency-key", "reply-2")
        .multipart(late)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_retry_with_the_same_key_never_creates_a_second_demande() {
    let p = start().await;
    let first = p
        .submit(CAMILLE, "same-key", submission(acte_for_myself()))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_body = first.text().await.unwrap();
    let second = p
        .submit(CAMILLE, "same-key", submission(acte_for_myself()))
        .await;
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.text().await.unwrap(), first_body);
    assert_eq!(p.count().await, 1);

    // The same key with different content is refused, not silently merged.
    let mut other = acte_for_myself();
    other["exemplaires"] = json!("3");
    let reused = p.submit(CAMILLE, "same-key", submission(other)).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem(reused).await.kind,
        "urn:guichet:problem:idempotency-key-reused"
    );

    // Keys belong to a citizen: another citizen's same key is a new demande.
    let jean = p
        .submit(JEAN, "same-key", submission(acte_for_myself()))
        .await;
    assert_eq!(jean.status(), StatusCode::CREATED);
    assert_eq!(p.count().await, 2);
}

#[tokio::test]
async fn concurrent_retries_with_one_key_store_one_demande() {
    let p = start().await;
    let attempts = (0..6).map(|_| p.submit(CAMILLE, "burst", submission(acte_for_myself())));
    let responses = futures::future::join_all(attempts).await;
    let mut ids = std::collections::HashSet::new();
    for r in responses {
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: serde_json::Value = r.json().await.unwrap();
        ids.insert(body["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "every attempt got the same demande");
    assert_eq!(p.count().await, 1);
}

#[tokio::test]
async fn tokens_that_are_missing_forged_expired_or_for_someone_else_are_refused() {
    let p = start().await;
    let list = |token: Option<String>| {
        let mut request = p.client.get(format!("{}/v1/demandes", p.url));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send()
    };
    let missing = list(None).await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        missing.headers()["www-authenticate"],
        "Bearer realm=\"guichet\""
    );
    let cases = [
        (
            TokenSpec {
                subject: CAMILLE,
                audience: AUDIENCE,
                issuer: None,
                expires_in: 600,
                forged: true,
            },
            "urn:guichet:problem:invalid-token",
        ),
        (
            TokenSpec {
                subject: CAMILLE,
                audience: AUDIENCE,
                issuer: None,
                expires_in: -600,
                forged: false,
            },
            "urn:guichet:problem:token-expired",
        ),
        (
            TokenSpec {
                subject: CAMILLE,
                audience: "urn:other:api",
                issuer: None,
                expires_in: 600,
                forged: false,
            },
            "urn:guichet:problem:invalid-token",
        ),
        (
            TokenSpec {
                subject: CAMILLE,
                audience: AUDIENCE,
                issuer: Some("http://127.0.0.1:1"),
                expires_in: 600,
                forged: false,
            },
            "urn:guichet:problem:invalid-token",
        ),
    ];
    for (spec, kind) in cases {
        let response = list(Some(p.token(&spec))).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{kind}");
        assert_eq!(problem(response).await.kind, kind);
    }
    let garbage = list(Some("not.a.jwt".into())).await.unwrap();
    assert_eq!(garbage.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        p.get("/v1/demandes", CAMILLE)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_citizen_only_ever_sees_their_own_demandes() {
    let p = start().await;
    let created: serde_json::Value = p
        .submit(CAMILLE, "mine", acte_for_my_child(PDF, "application/pdf"))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let d: Demande = p
        .get(&format!("/v1/demandes/{id}"), CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let doc = &d.documents[0].id;
    let list: DemandeList = p
        .get("/v1/demandes", JEAN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.demandes.is_empty());
    assert_eq!(
        p.get(&format!("/v1/demandes/{id}"), JEAN)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        p.get(&format!("/v1/demandes/{id}/documents/{doc}"), JEAN)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let reply = Form::new().text("reply", json!({ "body": "intrusion" }).to_string());
    let r = p
        .client
        .post(format!("{}/v1/demandes/{id}/replies", p.url))
        .bearer_auth(p.token_for(JEAN))
        .header("idempotency-key", "x")
        .multipart(reply)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_payloads_get_a_problem_and_store_nothing() {
    let p = start().await;
    // Invalid answers: per-field French messages.
    let mut wrong = acte_for_myself();
    wrong["courriel"] = json!("pas-une-adresse");
    wrong["exemplaires"] = json!("12");
    let r = p.submit(CAMILLE, "bad-1", submission(wrong)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let pb = problem(r).await;
    let fields: Vec<&str> = pb.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["exemplaires", "courriel"]);
    assert!(
        pb.errors[1]
            .message
            .starts_with("Saisissez une adresse e-mail valide")
    );

    // A missing required attachment, a file that is not what it claims, an unexpected part.
    let mut no_proof = acte_for_myself();
    no_proof["pour_qui"] = json!("autre");
    no_proof["lien"] = json!("enfant");
    assert_eq!(
        problem(p.submit(CAMILLE, "bad-2", submission(no_proof)).await)
            .await
            .errors[0]
            .field,
        "justificatif_lien"
    );
    let html_as_pdf = p
        .submit(
            CAMILLE,
            "bad-3",
            acte_for_my_child(b"<html><script>alert(1)</script></html>", "application/pdf"),
        )
        .await;
    assert_eq!(html_as_pdf.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let extra = submission(acte_for_myself()).part("surprise", Part::bytes(PDF).file_name("x.pdf"));
    assert_eq!(
        p.submit(CAMILLE, "bad-4", extra).await.status(),
        StatusCode::BAD_REQUEST
    );

    // Too large, malformed JSON, wrong form version, no key, unknown form.
    let big: &'static [u8] = Box::leak(vec![b'%'; 3_100_000].into_boxed_slice());
    assert_eq!(
        p.submit(CAMILLE, "bad-5", acte_for_my_child(big, "application/pdf"))
            .await
            .status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let malformed = Form::new().text("submission", "{ not json");
    assert_eq!(
        p.submit(CAMILLE, "bad-6", malformed).await.status(),
        StatusCode::BAD_REQUEST
    );
    let old = Form::new().text(
        "submission",
        json!({ "form_version": 0, "answers": acte_for_myself() }).to_string(),
    );
    assert_eq!(
        p.submit(CAMILLE, "bad-7", old).await.status(),
        StatusCode::CONFLICT
    );
    let no_key = p
        .client
        .post(format!("{}/v1/forms/acte-naissance/demandes", p.url))
        .bearer_auth(p.token_for(CAMILLE))
        .multipart(submission(acte_for_myself()))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(no_key).await.status, 400);
    let unknown = p
        .client
        .post(format!("{}/v1/forms/permis-de-chasse/demandes", p.url))
        .bearer_auth(p.token_for(CAMILLE))
        .header("idempotency-key", "k")
        .multipart(submission(acte_for_myself()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    assert_eq!(p.count().await, 0, "nothing partial is stored");
    let files = std::fs::read_dir(&p.config.storage).unwrap().count();
    assert_eq!(files, 0, "no orphan file is left on disk");
}

#[tokio::test]
async fn polling_is_cheap_with_etags_and_updated_since() {
    let p = start().await;
    let first = p.get("/v1/demandes", CAMILLE).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let unchanged = p
        .get("/v1/demandes", CAMILLE)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    let list: DemandeList = first.json().await.unwrap();

    p.submit(CAMILLE, "poll-1", submission(acte_for_myself()))
        .await;
    let changed = p
        .get("/v1/demandes", CAMILLE)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let since: DemandeList = p
        .get(
            &format!("/v1/demandes?updated_since={}", list.as_of),
            CAMILLE,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(since.demandes.len(), 1);
    let later: DemandeList = p
        .get(
            &format!("/v1/demandes?updated_since={}", since.as_of),
            CAMILLE,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(later.demandes.is_empty());
    assert_eq!(
        p.get("/v1/demandes?updated_since=hier", CAMILLE)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn cors_is_open_to_the_portal_only() {
    let p = start().await;
    let preflight = |origin: &'static str| {
        p.client
            .request(reqwest::Method::OPTIONS, format!("{}/v1/demandes", p.url))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, idempotency-key, content-type",
            )
            .send()
    };
    let allowed = preflight(PORTAL).await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], PORTAL);
    let headers = allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(headers.contains("idempotency-key") && headers.contains("authorization"));
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let get = p
        .get("/v1/demandes", CAMILLE)
        .header("origin", PORTAL)
        .send()
        .await
        .unwrap();
    let exposed = get.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(exposed.contains("etag"));
}

#[tokio::test]
async fn agent_transitions_follow_the_status_model() {
    let p = start().await;
    let created: serde_json::Value = p
        .submit(CAMILLE, "agent-1", submission(acte_for_myself()))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let db = p.db().await;
    assert!(
        provider::agent::set_status(&db, id, "accepted", "Trop tôt", None)
            .await
            .is_err(),
        "submitted → accepted is not allowed"
    );
    assert!(
        provider::agent::set_status(&db, id, "validee", "?", None)
            .await
            .is_err()
    );
    provider::agent::set_status(&db, id, "in_review", "En cours", None)
        .await
        .unwrap();
    provider::agent::message(&db, id, "Nous traitons votre demande.")
        .await
        .unwrap();
    let d: Demande = p
        .get(&format!("/v1/demandes/{id}"), CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d.messages[0].body, "Nous traitons votre demande.");
    assert_eq!(d.summary.status.label, "En cours");
}

#[tokio::test]
async fn every_personal_answer_is_no_store_and_etags_still_work() {
    let p = start().await;
    let created = p
        .submit(CAMILLE, "cache-1", submission(acte_for_myself()))
        .await;
    let mut answers = vec![("submission", created.headers().clone())];
    let id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let replay = p
        .submit(CAMILLE, "cache-1", submission(acte_for_myself()))
        .await;
    answers.push(("replay", replay.headers().clone()));
    let list = p.get("/v1/demandes", CAMILLE).send().await.unwrap();
    let list_etag = list.headers()["etag"].to_str().unwrap().to_owned();
    answers.push(("list", list.headers().clone()));
    let not_modified = p
        .get("/v1/demandes", CAMILLE)
        .header("if-none-match", &list_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
    answers.push(("list 304", not_modified.headers().clone()));
    let one = p
        .get(&format!("/v1/demandes/{id}"), CAMILLE)
        .send()
        .await
        .unwrap();
    let etag = one.headers()["etag"].to_str().unwrap().to_owned();
    answers.push(("demande", one.headers().clone()));
    let one_again = p
        .get(&format!("/v1/demandes/{id}"), CAMILLE)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(one_again.status(), StatusCode::NOT_MODIFIED);
    answers.push(("demande 304", one_again.headers().clone()));
    for (what, path, subject) in [
        ("someone else's demande", format!("/v1/demandes/{id}"), JEAN),
        ("lookup", "/v1/idempotency-keys/cache-1".to_owned(), CAMILLE),
    ] {
        answers.push((
            what,
            p.get(&path, subject)
                .send()
                .await
                .unwrap()
                .headers()
                .clone(),
        ));
    }
    let unauthenticated = p
        .client
        .get(format!("{}/v1/demandes", p.url))
        .send()
        .await
        .unwrap();
    answers.push(("401", unauthenticated.headers().clone()));
    for (what, headers) in &answers {
        assert_eq!(headers["cache-control"], "no-store", "{what}");
    }
    // Public resources stay cacheable.
    let form = p
        .client
        .get(format!("{}/v1/forms/acte-naissance", p.url))
        .send()
        .await
        .unwrap();
    assert_eq!(form.headers()["cache-control"], "public, max-age=300");
}

#[tokio::test]
async fn cors_lets_the_portal_send_every_header_it_uses() {
    let p = start().await;
    for method in ["GET", "POST"] {
        let preflight = p
            .client
            .request(reqwest::Method::OPTIONS, format!("{}/v1/demandes", p.url))
            .header("origin", PORTAL)
            .header("access-control-request-method", method)
            .header(
                "access-control-request-headers",
                "authorization, dpop, idempotency-key, if-none-match, content-type",
            )
            .send()
            .await
            .unwrap();
        let allowed = preflight.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_lowercase();
        for header in [
            "authorization",
            "dpop",
            "idempotency-key",
            "if-none-match",
            "content-type",
        ] {
            assert!(allowed.contains(header), "{method}: {header} in {allowed}");
        }
    }
}

#[tokio::test]
async fn a_form_with_an_unsafe_pattern_stops_the_provider_at_start_up() {
    let dir = temp_dir("forms");
    let mut form: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(demo_forms().join("badge-decheterie.json")).unwrap(),
    )
    .unwrap();
    form["pages"][0]["fields"][3]["pattern"] = json!("([A-Za-z]+-?)+[0-9]{3}");
    let file = dir.0.join("badge.json");
    std::fs::write(&file, form.to_string()).unwrap();
    let database = TestDatabase::create(&dir.0);
    let config_path = dir.0.join("provider.toml");
    write_config(
        &config_path,
        "http://127.0.0.1:9",
        &Options {
            forms: vec![file],
            ..Options::default()
        },
        &database.url,
    );
    let config = provider::config::Config::load(&config_path).unwrap();
    let error = provider::build_state(config).await.err().expect("refused");
    assert!(error.contains("badge.json"), "{error}");
    assert!(
        error.contains("field `immatriculation`: pattern: character 2:"),
        "{error}"
    );
    assert!(error.contains("backtrack"), "{error}");
}

#[tokio::test]
async fn the_list_shows_each_demande_once_with_what_it_expects_in_the_order_asked() {
    let p = start().await;
    let mut ids = Vec::new();
    for key in ["first", "second"] {
        let created = p.submit(CAMILLE, key, submission(acte_for_myself())).await;
        let body: serde_json::Value = created.json().await.unwrap();
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    agent_request_document(&p, &ids[0], "Justificatif de domicile").await;
    agent_request_document(&p, &ids[0], "Pièce d’identité").await;
    let list: DemandeList = p
        .get("/v1/demandes", CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed: Vec<(&str, Vec<&str>)> = list
        .demandes
        .iter()
        .map(|d| {
            let expected = d.expected.iter().map(|e| e.label.as_str()).collect();
            (d.id.as_str(), expected)
        })
        .collect();
    assert_eq!(
        listed,
        [
            (
                ids[0].as_str(),
                vec!["Justificatif de domicile", "Pièce d’identité"]
            ),
            (ids[1].as_str(), vec![]),
        ]
    );
}
