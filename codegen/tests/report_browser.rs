//! The HTML diff report in a real browser: headless Chromium opens the page from disk, and the
//! test checks the summary counts against the changelog, that unticking classes hides their rows
//! (and the models left without one), the search box and the Odoo module filter; then it saves a
//! screenshot a person can look at (the path is printed).
//!
//! Needs Chromium (`chromium`, `chromium-browser` or `google-chrome` on the PATH, or `CHROME`
//! naming the binary). Without one the tests are reported as ignored, never passed; with
//! `ODOO_CODEGEN_REQUIRE_CHROMIUM=1` (CI) a missing browser fails them instead. The 18.0 → 19.0
//! test reads `snapshots/odoo-19.0`.
//!
//! ```sh
//! cargo test -p odoo-codegen --test report_browser
//! ```

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};
use libtest_mimic::{Arguments, Failed, Trial};
use odoo_codegen::Schema;
use odoo_codegen::diff::{Changelog, HtmlOptions, Impact, diff};
use odoo_replay::fixtures::read_text_tree;

const REQUIRE: &str = "ODOO_CODEGEN_REQUIRE_CHROMIUM";

fn main() {
    let args = Arguments::from_args();
    let chromium = find_chromium();
    let required = std::env::var(REQUIRE).is_ok_and(|v| v == "1");
    let ignored = chromium.is_none() && !required;
    let trial = |name: &'static str, old: &'static str, new: &'static str| {
        let chromium = chromium.clone();
        Trial::test(name, move || match &chromium {
            Some(path) => check_report(path, old, new),
            None => Err(format!(
                "no Chromium found (PATH: chromium, chromium-browser, google-chrome; or CHROME) \
                 and {REQUIRE}=1 requires it"
            )
            .into()),
        })
        .with_ignored_flag(ignored)
    };
    let trials = vec![
        trial(
            "html_report_18_0_to_19_0_in_chromium",
            "snapshots/odoo-18.0",
            "snapshots/odoo-19.0",
        ),
        trial(
            "html_report_18_0_base_to_18_0_in_chromium",
            "testdata/odoo-18.0-base/snapshot",
            "testdata/odoo-18.0/snapshot",
        ),
    ];
    if ignored {
        eprintln!("report_browser: no Chromium found: the browser tests are ignored");
    }
    libtest_mimic::run(&args, trials).exit();
}

/// The Chromium binary: `CHROME`, or the first of the usual names on the PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|p| p.is_file())
}

/// A snapshot by its path from the repository root.
fn snapshot(path: &str) -> Result<Schema, Failed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let files =
        read_text_tree(&dir).map_err(|e| format!("reading the snapshot {}: {e}", dir.display()))?;
    odoo_codegen::snapshot::from_files(&files)
        .map_err(|e| format!("loading the snapshot {}: {e}", dir.display()).into())
}

/// Evaluates `expr` in the page and returns its value as JSON.
fn eval(tab: &Tab, expr: &str) -> Result<serde_json::Value, Failed> {
    let result = tab
        .evaluate(expr, false)
        .map_err(|e| format!("evaluating `{expr}`: {e}"))?;
    Ok(result.value.unwrap_or(serde_json::Value::Null))
}

fn eval_u64(tab: &Tab, expr: &str) -> Result<u64, Failed> {
    eval(tab, expr)?
        .as_u64()
        .ok_or_else(|| format!("`{expr}` is not a count").into())
}

/// What the page shows: visible rows by class, visible models.
const VISIBLE: &str = r#"(() => {
  const rows = Array.from(document.querySelectorAll("table.changes tr"))
    .filter(r => !r.hidden && !r.closest("details.model").hidden);
  const by = {};
  rows.forEach(r => { by[r.classList[0]] = (by[r.classList[0]] || 0) + 1; });
  const models = Array.from(document.querySelectorAll("details.model")).filter(m => !m.hidden);
  const hiddenShown = Array.from(document.querySelectorAll("table.changes tr"))
    .filter(r => r.hidden && getComputedStyle(r).display !== "none").length;
  return JSON.stringify({
    rows: rows.length, by, models: models.length, hiddenShown,
    modelNames: models.map(m => m.getAttribute("data-model")),
    modules: models.map(m => m.getAttribute("data-modules")),
  });
})()"#;

#[derive(Debug, serde::Deserialize)]
struct Visible {
    rows: usize,
    by: std::collections::BTreeMap<String, usize>,
    models: usize,
    #[serde(rename = "hiddenShown")]
    hidden_shown: usize,
    #[serde(rename = "modelNames")]
    model_names: Vec<String>,
    modules: Vec<String>,
}

fn visible(tab: &Tab) -> Result<Visible, Failed> {
    let json = eval(tab, VISIBLE)?;
    let text = json.as_str().ok_or("the page did not answer")?;
    serde_json::from_str(text).map_err(|e| format!("{e}: {text}").into())
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok { Ok(()) } else { Err(what().into()) }
}

fn check_report(chromium: &Path, old: &str, new: &str) -> Result<(), Failed> {
    let log: Changelog = diff(&snapshot(old)?, &snapshot(new)?);
    let html = log.to_html(&HtmlOptions::default());
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let stem = format!("{old}_to_{new}").replace('/', "_");
    let page = out.join(format!("{stem}.html"));
    std::fs::write(&page, &html).map_err(|e| format!("writing {}: {e}", page.display()))?;
    let profile = out.join(format!("profile-{stem}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).map_err(|e| format!("{e}"))?;

    let flags = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let options = LaunchOptions::default_builder()
        .path(Some(chromium.to_path_buf()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1400, 1000)))
        .user_data_dir(Some(profile.clone()))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(flags.iter().map(OsStr::new).collect())
        .build()
        .map_err(|e| format!("launch options: {e}"))?;
    let browser = Browser::new(options).map_err(|e| format!("starting Chromium: {e}"))?;
    let tab = browser.new_tab().map_err(|e| format!("{e}"))?;
    tab.set_default_timeout(Duration::from_secs(60));
    let url = format!("file://{}", page.display());
    tab.navigate_to(&url)
        .and_then(|t| t.wait_until_navigated())
        .map_err(|e| format!("opening {url}: {e}"))?;
    tab.wait_for_element("#status")
        .map_err(|e| format!("{e}"))?;

    let s = &log.summary;
    let classes = [
        Impact::DoesNotCompile,
        Impact::Misbehaves,
        Impact::Compatible,
    ];
    // The summary the page shows is the changelog's.
    for impact in classes {
        let shown = eval_u64(
            &tab,
            &format!(
                "Number(document.querySelector('[data-count=\"{}\"]').textContent)",
                impact.key()
            ),
        )?;
        check(shown as usize == s.of_class(impact), || {
            format!(
                "{}: page {shown}, changelog {}",
                impact.title(),
                s.of_class(impact)
            )
        })?;
    }
    let all = visible(&tab)?;
    check(all.rows == s.total(), || {
        format!("{} rows, {} changes", all.rows, s.total())
    })?;
    check(all.models == log.models.len(), || {
        format!("{} models", all.models)
    })?;
    let status = eval(&tab, "document.getElementById('status').textContent")?;
    check(
        status
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("{} of {} changes", s.total(), s.total()))),
        || format!("status {status}"),
    )?;

    // Unticking classes hides their rows, and the models left without a row.
    for off in [Impact::Misbehaves, Impact::Compatible] {
        tab.find_element(&format!("#classes input[value=\"{}\"]", off.key()))
            .and_then(|e| e.click().map(|_| ()))
            .map_err(|e| format!("unticking {}: {e}", off.key()))?;
    }
    let dnc = visible(&tab)?;
    check(dnc.rows == s.does_not_compile, || {
        format!(
            "{} rows shown, {} do not compile",
            dnc.rows, s.does_not_compile
        )
    })?;
    check(
        dnc.by.keys().all(|k| k == Impact::DoesNotCompile.key()),
        || format!("other classes shown: {:?}", dnc.by),
    )?;
    check(
        dnc.models == log.models_with(Impact::DoesNotCompile),
        || format!("{} models shown", dnc.models),
    )?;
    check(dnc.hidden_shown == 0, || {
        format!("{} hidden rows displayed", dnc.hidden_shown)
    })?;
    let cell = eval_u64(
        &tab,
        "Number(document.querySelector('[data-shown=\"compatible\"]').textContent)",
    )?;
    check(cell == 0, || format!("compatible shown: {cell}"))?;

    // Only what misbehaves.
    for toggle in [Impact::DoesNotCompile, Impact::Misbehaves] {
        tab.find_element(&format!("#classes input[value=\"{}\"]", toggle.key()))
            .and_then(|e| e.click().map(|_| ()))
            .map_err(|e| format!("toggling {}: {e}", toggle.key()))?;
    }
    let mis = visible(&tab)?;
    check(
        mis.rows == s.misbehaves && mis.by.keys().all(|k| k == "misbehaves"),
        || format!("misbehaves only: {:?}", mis.by),
    )?;
    // Every class again.
    for on in [Impact::DoesNotCompile, Impact::Compatible] {
        tab.find_element(&format!("#classes input[value=\"{}\"]", on.key()))
            .and_then(|e| e.click().map(|_| ()))
            .map_err(|e| format!("ticking {}: {e}", on.key()))?;
    }
    check(visible(&tab)?.rows == s.total(), || {
        "every class again".to_owned()
    })?;

    // The search box: a model name typed keeps the rows that mention it.
    let model = log
        .breaking()
        .map(|(m, _)| m)
        .next()
        .unwrap_or(log.models[0].model.as_str());
    tab.find_element("#q")
        .and_then(|e| e.type_into(model).map(|_| ()))
        .map_err(|e| format!("typing in the search box: {e}"))?;
    let found = visible(&tab)?;
    let in_model = log
        .models
        .iter()
        .find(|m| m.model == model)
        .map_or(0, |m| m.changes.len());
    check(found.rows >= in_model && found.rows < s.total(), || {
        format!(
            "search {model}: {} rows ({in_model} in the model)",
            found.rows
        )
    })?;
    check(found.model_names.iter().any(|m| m == model), || {
        format!("{model} not shown")
    })?;
    eval(
        &tab,
        "(() => { const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); return 1; })()",
    )?;

    // The Odoo module filter.
    let module = log
        .models
        .iter()
        .flat_map(|m| &m.modules)
        .find(|m| m.as_str() != "base")
        .cloned()
        .unwrap_or_else(|| "base".to_owned());
    eval(
        &tab,
        &format!(
            "(() => {{ const s = document.getElementById('module'); s.value = {module:?}; s.dispatchEvent(new Event('change')); return 1; }})()"
        ),
    )?;
    let by_module = visible(&tab)?;
    let expected = log
        .models
        .iter()
        .filter(|m| m.modules.contains(&module))
        .count();
    check(by_module.models == expected, || {
        format!(
            "module {module}: {} models, {expected} expected",
            by_module.models
        )
    })?;
    check(
        by_module
            .modules
            .iter()
            .all(|m| m.split(' ').any(|x| x == module)),
        || format!("a model outside {module} shown"),
    )?;
    eval(
        &tab,
        "(() => { const s = document.getElementById('module'); s.value = ''; s.dispatchEvent(new Event('change')); return 1; })()",
    )?;
    check(visible(&tab)?.rows == s.total(), || {
        "filters reset".to_owned()
    })?;

    // A screenshot of the page as it opens, and figures.
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .map_err(|e| format!("screenshot: {e}"))?;
    let shot = out.join(format!("{stem}.png"));
    std::fs::write(&shot, png).map_err(|e| format!("writing {}: {e}", shot.display()))?;
    let load = eval(
        &tab,
        "(() => { const t = performance.getEntriesByType('navigation')[0]; return Math.round(t.loadEventEnd); })()",
    )?;
    println!(
        "report {old} -> {new}: {} changes, {} bytes of HTML, loaded in {load} ms; screenshot {}",
        s.total(),
        html.len(),
        shot.display()
    );
    drop(tab);
    drop(browser);
    let _ = std::fs::remove_dir_all(&profile);
    Ok(())
}
