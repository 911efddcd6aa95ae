//! Writes as a hostile or unlucky client sends them, over real HTTP: oversized files and bodies,
//! polyglot files, bodies that stall, trickle in, or arrive all at once from many clients. Each
//! case checks the answer (a problem document) and that nothing is left behind (no demande, no
//! file, no `.part`).

mod common;

use common::*;
use contract::Problem;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

async fn problem(response: reqwest::Response) -> Problem {
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.expect("a problem+json body")
}

fn raw_problem(response: &RawResponse) -> Problem {
    let start = response.body.find('{').expect("a JSON body");
    let end = response.body.rfind('}').expect("a JSON body");
    serde_json::from_str(&response.body[start..=end]).expect("a problem document")
}

/// `acte-naissance` for my child, with `proof` as the proof of relationship, built by hand (call
/// `finish` after adding any other part).
fn raw_acte_for_my_child(proof: &[u8]) -> RawMultipart {
    let mut answers = acte_for_myself();
    answers["pour_qui"] = json!("autre");
    answers["lien"] = json!("enfant");
    answers["justificatif_lien"] = json!({ "part": "preuve", "name": "livret.pdf", "size": proof.len(), "content_type": "application/pdf" });
    RawMultipart::new()
        .text(
            "submission",
            &json!({ "form_version": 1, "answers": answers }).to_string(),
        )
        .file("preuve", "livret.pdf", proof)
}

/// A valid PDF of about `size` bytes.
fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', size.saturating_sub(40)));
    bytes.extend_from_slice(b"\ntrailer << >>\n%%EOF\n");
    bytes
}

#[tokio::test]
async fn an_oversized_file_gets_413_with_a_problem_and_leaves_nothing() {
    let p = start().await; // max_file_bytes = 3,000,000
    let big: &'static [u8] = Box::leak(pdf_of(3_000_100).into_boxed_slice());
    let response = p
        .submit(
            CAMILLE,
            "big-file",
            acte_for_my_child(big, "application/pdf"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let pb = problem(response).await;
    assert_eq!(pb.kind, "urn:guichet:problem:too-large");
    assert!(pb.detail.unwrap().contains("au plus 2 Mo"));
    assert_eq!(p.count().await, 0);
    assert!(stored_files(&p).is_empty(), "{:?}", stored_files(&p));
}

#[tokio::test]
async fn an_oversized_body_gets_413_with_a_problem_even_if_each_file_fits() {
    let p = start_opts(Options {
        limits: "max_file_bytes = 150000\nmax_request_bytes = 200000".into(),
        ..Options::default()
    })
    .await;
    let body = raw_acte_for_my_child(&pdf_of(120_000))
        .file("autre", "autre.pdf", &pdf_of(120_000))
        .finish();
    let response = p
        .post_slowly(
            "/v1/forms/acte-naissance/demandes",
            CAMILLE,
            "big-body",
            &body,
            &[(usize::MAX, Duration::ZERO)],
        )
        .await
        .expect("an answer");
    assert_eq!(response.status, 413);
    assert_eq!(raw_problem(&response).kind, "urn:guichet:problem:too-large");
    assert_eq!(p.count().await, 0);
    assert!(stored_files(&p).is_empty(), "{:?}", stored_files(&p));
}

#[tokio::test]
async fn polyglot_files_are_refused_with_a_reason_and_leave_nothing() {
    let p = start().await;
    let pdf_and_html: &'static [u8] =
        b"%PDF-1.4\n<html><body><script>fetch('/v1/demandes')</script></body></html>\n%%EOF\n";
    let response = p
        .submit(
            CAMILLE,
            "polyglot",
            acte_for_my_child(pdf_and_html, "application/pdf"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let pb = problem(response).await;
    assert_eq!(pb.errors[0].field, "justificatif_lien");
    assert!(
        pb.errors[0]
            .message
            .contains("contient autre chose qu’un document"),
        "{}",
        pb.errors[0].message
    );
    // A reply's attachment is checked the same way.
    let created: serde_json::Value = p
        .submit(CAMILLE, "for-reply", submission(acte_for_myself()))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let svg_in_pdf = reqwest::multipart::Form::new()
        .text("reply", json!({ "body": "Voici" }).to_string())
        .part(
            "doc",
            reqwest::multipart::Part::bytes(
                &b"%PDF-1.7\n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>%%EOF"[..],
            )
            .file_name("doc.pdf"),
        );
    let response = p
        .client
        .post(format!("{}/v1/demandes/{id}/replies", p.url))
        .bearer_auth(p.token_for(CAMILLE))
        .header("idempotency-key", "svg")
        .multipart(svg_in_pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(p.count().await, 1);
    assert!(stored_files(&p).is_empty(), "{:?}", stored_files(&p));
}

#[tokio::test]
async fn a_file_is_streamed_to_disk_while_it_arrives() {
    let p = start().await;
    let body = raw_acte_for_my_child(&pdf_of(1_000_000)).finish();
    let pieces = [
        (body.body.len() / 2, Duration::ZERO),
        (usize::MAX, Duration::from_millis(700)),
    ];
    let sending = p.post_slowly(
        "/v1/forms/acte-naissance/demandes",
        CAMILLE,
        "streamed",
        &body,
        &pieces,
    );
    let watching = async {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let dir = p.config.storage.clone();
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
            .map(|e| e.metadata().unwrap().len())
            .collect::<Vec<_>>()
    };
    let (response, partial) = tokio::join!(sending, watching);
    assert_eq!(
        partial.len(),
        1,
        "half-way, the file is being written to disk"
    );
    assert!(
        partial[0] > 100_000,
        "half-way, {} bytes are on disk",
        partial[0]
    );
    assert_eq!(response.expect("an answer").status, 201);
    let files = stored_files(&p);
    assert_eq!(files.len(), 1);
    assert!(!files[0].ends_with(".part"), "{files:?}");
}

#[tokio::test]
async fn a_stalled_upload_times_out_by_idleness_and_leaves_nothing() {
    let p = start_opts(Options {
        limits: "upload_idle_secs = 1".into(),
        ..Options::default()
    })
    .await;
    let body = raw_acte_for_my_child(&pdf_of(200_000)).finish();
    let response = p
        .post_slowly(
            "/v1/forms/acte-naissance/demandes",
            CAMILLE,
            "stalled",
            &body,
            &[
                (body.body.len() / 2, Duration::ZERO),
                (usize::MAX, Duration::from_millis(2500)),
            ],
        )
        .await
        .expect("an answer");
    assert_eq!(response.status, 408);
    assert_eq!(
        raw_problem(&response).kind,
        "urn:guichet:problem:request-timeout"
    );
    assert_eq!(p.count().await, 0);
    assert!(stored_files(&p).is_empty(), "{:?}", stored_files(&p));
}

#[tokio::test]
async fn a_slow_but_steady_upload_goes_through_past_every_fixed_deadline() {
    // 1 s of allowed silence, 1 s for reads: a body trickling in over ~3.5 s must still succeed.
    let p = start_opts(Options {
        limits: "upload_idle_secs = 1\nrequest_timeout_secs = 1".into(),
        ..Options::default()
    })
    .await;
    let body = raw_acte_for_my_child(&pdf_of(60_000)).finish();
    let piece = body.body.len() / 6 + 1;
    let pieces: Vec<(usize, Duration)> = (0..7)
        .map(|i| {
            let pause = if i == 0 { 0 } else { 550 };
            (piece, Duration::from_millis(pause))
        })
        .collect();
    let started = std::time::Instant::now();
    let response = p
        .post_slowly(
            "/v1/forms/acte-naissance/demandes",
            CAMILLE,
            "trickle",
            &body,
            &pieces,
        )
        .await
        .expect("an answer");
    assert!(started.elapsed() > Duration::from_secs(3));
    assert_eq!(response.status, 201, "{}", response.body);
    assert_eq!(p.count().await, 1);
}

#[tokio::test]
async fn writes_beyond_the_concurrency_limit_wait_for_a_slot_then_get_503() {
    let p = start_opts(Options {
        limits: "max_concurrent_uploads = 1\nupload_idle_secs = 1".into(),
        ..Options::default()
    })
    .await;
    // The first write holds the only slot for ~2.5 s, making steady progress.
    let slow_body = raw_acte_for_my_child(&pdf_of(50_000)).finish();
    let piece = slow_body.body.len() / 5 + 1;
    let pieces: Vec<(usize, Duration)> = (0..6)
        .map(|i| (piece, Duration::from_millis(if i == 0 { 0 } else { 500 })))
        .collect();
    let first = p.post_slowly(
        "/v1/forms/acte-naissance/demandes",
        CAMILLE,
        "slot-1",
        &slow_body,
        &pieces,
    );
    let second = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        p.submit(JEAN, "slot-2", submission(acte_for_myself()))
            .await
    };
    let (first, second) = tokio::join!(first, second);
    assert_eq!(first.expect("an answer").status, 201);
    assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(second.headers()["retry-after"], "5");
    assert_eq!(problem(second).await.kind, "urn:guichet:problem:busy");
    // The slot is free again.
    let third = p
        .submit(JEAN, "slot-2", submission(acte_for_myself()))
        .await;
    assert_eq!(third.status(), StatusCode::CREATED);
    assert_eq!(p.count().await, 2);
}

#[tokio::test]
async fn documents_download_as_opaque_attachments_never_rendered_or_cached() {
    let p = start().await;
    let created: serde_json::Value = p
        .submit(CAMILLE, "doc", acte_for_my_child(PDF, "application/pdf"))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let demande: contract::Demande = p
        .get(&format!("/v1/demandes/{id}"), CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(demande.documents[0].content_type, "application/pdf");
    let download = p
        .get(
            &format!("/v1/demandes/{id}/documents/{}", demande.documents[0].id),
            CAMILLE,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    let h = download.headers();
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"livret.pdf\"; filename*=UTF-8''livret.pdf"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["content-security-policy"], "sandbox");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["content-length"], PDF.len().to_string().as_str());
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
}
