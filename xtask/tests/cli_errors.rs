//! The errors a user meets, through the real binary: each ends with one `error:` line naming what
//! was wrong, one `hint:` line, its own exit code, and no panic or backtrace.

use std::path::{Path, PathBuf};

mod cli_support;
use cli_support::{error_line, failure, xtask};

/// A directory that cannot be written, even by root: a read-only directory when permissions apply,
/// otherwise `/sys` (sysfs refuses new directories).
fn unwritable_dir(tmp: &Path) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tmp.join("read-only");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::create_dir(dir.join("probe")).is_err() {
            return dir;
        }
    }
    let sys = PathBuf::from("/sys");
    let probe = std::fs::create_dir(sys.join("odoo-codegen-probe"));
    assert!(
        probe
            .as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied),
        "no unwritable directory found for this test (running as root without /sys?): {probe:?}"
    );
    sys
}

#[test]
fn unknown_flag_is_bad_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path())
        .args(["generate", "--no-such-flag"])
        .output()
        .unwrap();
    let stderr = failure(&output, 2);
    assert!(error_line(&stderr).contains("--no-such-flag"), "{stderr}");
}

#[test]
fn unknown_config_key_names_file_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[connection]\ndb = \"odoo18\"\n\n[generate]\ndepth = 1\nrelation_depth = 2\n",
    )
    .unwrap();
    let output = xtask(tmp.path()).arg("generate").output().unwrap();
    let stderr = failure(&output, 2);
    let line = error_line(&stderr);
    assert!(line.contains("odoo-codegen.toml line 6"), "{stderr}");
    assert!(
        line.contains("unknown key `relation_depth` in [generate]"),
        "{stderr}"
    );
}

#[test]
fn a_secret_in_the_config_file_is_refused_and_not_echoed() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[connection]\nurl = \"http://127.0.0.1:1\"\napi_key = \"0123456789abcdef-secret\"\n",
    )
    .unwrap();
    let output = xtask(tmp.path()).arg("generate").output().unwrap();
    let stderr = failure(&output, 2);
    assert!(
        error_line(&stderr).contains("line 3: `api_key` is not allowed"),
        "{stderr}"
    );
    assert!(!stderr.contains("0123456789abcdef-secret"), "{stderr}");
}

#[test]
fn config_file_given_with_config_must_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path())
        .args(["--config", "nowhere.toml", "generate"])
        .output()
        .unwrap();
    let stderr = failure(&output, 2);
    assert!(
        error_line(&stderr).contains("nowhere.toml: no such file"),
        "{stderr}"
    );
}

#[test]
fn config_is_found_from_a_subdirectory() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[generate]\ndepth = -3\n",
    )
    .unwrap();
    let nested = tmp.path().join("src/deep");
    std::fs::create_dir_all(&nested).unwrap();
    let output = xtask(&nested).arg("generate").output().unwrap();
    let stderr = failure(&output, 2);
    assert!(
        error_line(&stderr).contains("line 2: `generate.depth` must be 0 or more"),
        "{stderr}"
    );
}

#[test]
fn unparsable_dotenv_names_the_line_but_not_its_content() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(".env"),
        "ODOO_DB=odoo18\nODOO_PASSWORD hunter2-not-shown\n",
    )
    .unwrap();
    let output = xtask(tmp.path()).arg("generate").output().unwrap();
    let stderr = failure(&output, 2);
    assert!(
        error_line(&stderr).contains(".env line 2: cannot parse this line"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn nonexistent_model_or_module_is_not_found() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = xtask(tmp.path())
        .args([
            "generate",
            "--check",
            "--models",
            "res.partner,no.such.model",
            "--output",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = failure(&output, 16);
    assert!(error_line(&stderr).contains("`no.such.model`"), "{stderr}");

    let output = xtask(tmp.path())
        .args([
            "generate",
            "--check",
            "--modules",
            "no_such_module",
            "--output",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = failure(&output, 16);
    assert!(error_line(&stderr).contains("no_such_module"), "{stderr}");
    assert!(!out.exists(), "--check must not write");
}

#[test]
fn config_settings_reach_the_command_and_flags_override_them() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[generate]\nmodels = [\"no.such.model\"]\noutput = \"bindings\"\n",
    )
    .unwrap();
    let output = xtask(tmp.path())
        .args(["generate", "--check"])
        .output()
        .unwrap();
    let stderr = failure(&output, 16);
    assert!(error_line(&stderr).contains("`no.such.model`"), "{stderr}");

    // The flag wins over the file; `--check` against the missing `bindings` dir finds differences.
    let output = xtask(tmp.path())
        .args(["generate", "--check", "--models", "res.partner.category"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bindings"),
        "the output from the config is used: {stderr}"
    );
    assert!(!tmp.path().join("bindings").exists());
}

#[test]
fn unwritable_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = unwritable_dir(tmp.path()).join("bindings");
    let output = xtask(tmp.path())
        .args(["generate", "--models", "res.partner.category", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = failure(&output, 17);
    assert!(
        error_line(&stderr).contains(&out.display().to_string()),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_value_from_the_config_refused_by_a_flag_names_the_config_line() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[connection]\nurl = \"http://127.0.0.1:1\"\ntransport = \"soap\"\n",
    )
    .unwrap();
    let output = xtask(tmp.path())
        .args(["call", "res.partner", "search_count"])
        .output()
        .unwrap();
    let stderr = failure(&output, 2);
    let line = error_line(&stderr);
    assert!(
        line.contains("odoo-codegen.toml line 3: `connection.transport`"),
        "{stderr}"
    );
    assert!(line.contains("soap"), "{stderr}");
    // Typed on the command line, the same value is the command line's error.
    let output = xtask(tmp.path())
        .args(["call", "res.partner", "search_count", "--transport", "soap"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("odoo-codegen.toml"));
}

#[test]
fn missing_connection_settings_say_where_they_come_from() {
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path())
        .arg("generate")
        .env("ODOO_URL", "http://127.0.0.1:1")
        .output()
        .unwrap();
    let stderr = failure(&output, 2);
    assert!(error_line(&stderr).contains("ODOO_PASSWORD"), "{stderr}");
    assert!(
        stderr.contains("hint: a live run needs ODOO_URL, ODOO_DB, ODOO_USER"),
        "{stderr}"
    );
}

/// `--output` naming a user's project (it depends on odoo-runtime, as the README's set-up has it)
/// or generated output that holds other files: refused, exit 2, nothing touched.
#[test]
fn output_that_is_not_only_generated_code_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("my-integration");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::create_dir_all(project.join(".git")).unwrap();
    let manifest = "[package]\nname = \"my-integration\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                    [dependencies]\nodoo-runtime = { path = \"../odoo-codegen/runtime\" }\n";
    std::fs::write(project.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(project.join("src/main.rs"), "fn main() {}\n").unwrap();
    let generate = |out: &Path| {
        xtask(tmp.path())
            .args(["generate", "--quiet", "--models", "res.partner", "--output"])
            .arg(out)
            .output()
            .unwrap()
    };
    let stderr = failure(&generate(&project), 2);
    assert!(
        error_line(&stderr).contains("refusing to replace"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(project.join("Cargo.toml")).unwrap(),
        manifest
    );
    assert!(project.join("src/main.rs").is_file() && project.join(".git").is_dir());

    // Generated bindings are regenerated, until something else is put in them.
    let bindings = project.join("bindings");
    let output = generate(&bindings);
    assert!(output.status.success(), "{output:?}");
    let output = generate(&bindings);
    assert!(output.status.success(), "{output:?}");
    std::fs::write(bindings.join("NOTES.md"), "mine").unwrap();
    let stderr = failure(&generate(&bindings), 2);
    assert!(error_line(&stderr).contains("`NOTES.md`"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(bindings.join("NOTES.md")).unwrap(),
        "mine"
    );
    // No temporary directory is left beside them.
    let beside: Vec<String> = std::fs::read_dir(&project)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bindings"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

/// A URL with a password in `odoo-codegen.toml` is refused before `--help` could show it as a
/// default.
#[test]
fn a_password_in_the_config_url_is_refused_and_never_shown() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[connection]\nurl = \"http://admin:Sup3rS3cretPW@127.0.0.1:9\"\n",
    )
    .unwrap();
    let output = xtask(tmp.path()).arg("generate").output().unwrap();
    let stderr = failure(&output, 2);
    assert!(
        error_line(&stderr).contains("odoo-codegen.toml line 2"),
        "{stderr}"
    );
    assert!(!stderr.contains("Sup3rS3cretPW"), "{stderr}");
    for command in ["generate", "call", "introspect", "diff"] {
        let output = xtask(tmp.path())
            .args([command, "--help"])
            .output()
            .unwrap();
        let all = format!("{output:?}");
        assert!(!all.contains("Sup3rS3cretPW"), "{command} --help: {all}");
    }
}

/// `diff ... live` with no server URL: a usage error whose hint says where the settings come from.
#[test]
fn diff_live_without_a_url_is_bad_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path())
        .arg("diff")
        .arg(cli_support::repo_root().join("snapshots/odoo-18.0"))
        .arg("live")
        .output()
        .unwrap();
    let stderr = failure(&output, 2);
    assert!(error_line(&stderr).contains("no server URL"), "{stderr}");
    assert!(
        stderr.contains("hint: a live run needs ODOO_URL"),
        "{stderr}"
    );
}

/// `decode` reads one file: a broken settings file nearby does not stop it.
#[test]
fn decode_ignores_broken_settings_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("odoo-codegen.toml"), "[connection\n").unwrap();
    std::fs::write(tmp.path().join(".env"), "NOT A LINE\n").unwrap();
    let body = tmp.path().join("answer.xml");
    std::fs::write(
        &body,
        "<?xml version='1.0'?>\n<methodResponse><params><param><value><int>7</int></value>\
         </param></params></methodResponse>\n",
    )
    .unwrap();
    let output = xtask(tmp.path())
        .args(["decode", "--compact"])
        .arg(&body)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        r#"{"result":7}"#
    );
    // Another command still reports the broken file.
    let output = xtask(tmp.path()).arg("generate").output().unwrap();
    failure(&output, 2);
}

/// A filter that leaves nothing is "not found" (16), like a model that does not exist.
#[test]
fn a_filter_matching_nothing_is_not_found() {
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path())
        .args(["generate", "--check", "--models", "nosuch.*", "--output"])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stderr = failure(&output, 16);
    assert!(error_line(&stderr).contains("no model left"), "{stderr}");
}

/// A value the generator refuses names the file, line and key when it came from the config file,
/// and the flag's exit code (2 for a bad value, 16 for a model that does not exist).
#[test]
fn settings_refused_by_the_generator_name_their_config_line() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("odoo-codegen.toml");
    let out = tmp.path().join("out");
    let run = |toml: &str, extra: &[&str]| {
        std::fs::write(&config, toml).unwrap();
        xtask(tmp.path())
            .args(["generate", "--check", "--output"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let stderr = failure(
        &run(
            "[generate]\nmodels = [\"res.partner\"]\ncrate_name = \"bad name!\"\n",
            &[],
        ),
        2,
    );
    let line = error_line(&stderr);
    assert!(
        line.contains("odoo-codegen.toml line 3: `generate.crate_name`"),
        "{stderr}"
    );
    assert!(line.contains("bad name!"), "{stderr}");
    // The same value on the command line is the flag's problem, not the file's.
    let stderr = failure(
        &run(
            "[generate]\nmodels = [\"res.partner\"]\n",
            &["--crate-name", "bad name!"],
        ),
        2,
    );
    assert!(
        !error_line(&stderr).contains("odoo-codegen.toml"),
        "{stderr}"
    );

    let stderr = failure(&run("\n[generate]\nmodels = [\"res.partnr\"]\n", &[]), 16);
    assert!(
        error_line(&stderr).contains("odoo-codegen.toml line 3: `generate.models`"),
        "{stderr}"
    );
    assert!(!out.exists(), "--check must not write");
}
