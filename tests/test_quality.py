"""What hassfest, HACS and a core reviewer check, held true offline.

hassfest lives in Home Assistant core's repository, not in the wheel (CONTRIBUTING.md says how to
run it). These tests check what can be checked without it: the quality scale file, manifest and
hacs.json fields, brand images, and that translations, icons and the code agree. Keys used in
code are found by parsing the integration's modules (ast), so new platforms are covered as soon
as their files exist.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
import importlib.metadata
import json
from pathlib import Path
import re
from typing import Any

from awesomeversion import AwesomeVersion
from homeassistant import const as ha_const
from homeassistant.const import Platform, __version__ as ha_version
from PIL import Image
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "linksys_jnap"
PACKAGE = ROOT / "custom_components" / DOMAIN
EN_JSON = PACKAGE / "translations" / "en.json"
ICONS_JSON = PACKAGE / "icons.json"
SERVICES_YAML = PACKAGE / "services.yaml"
BRAND = PACKAGE / "brand"

# The Integration Quality Scale, as Home Assistant core's script/hassfest/quality_scale.py lists
# it (ALL_RULES, by tier). Update it from there when core adds or renames a rule.
QUALITY_SCALE_RULES: dict[str, tuple[str, ...]] = {
    "bronze": (
        "action-setup",
        "appropriate-polling",
        "brands",
        "common-modules",
        "config-flow",
        "config-flow-test-coverage",
        "dependency-transparency",
        "docs-actions",
        "docs-conditions",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-removal-instructions",
        "docs-triggers",
        "entity-event-setup",
        "entity-unique-id",
        "has-entity-name",
        "runtime-data",
        "test-before-configure",
        "test-before-setup",
        "unique-config-entry",
    ),
    "silver": (
        "action-exceptions",
        "config-entry-unloading",
        "docs-configuration-parameters",
        "docs-installation-parameters",
        "entity-unavailable",
        "integration-owner",
        "log-when-unavailable",
        "parallel-updates",
        "reauthentication-flow",
        "test-coverage",
    ),
    "gold": (
        "devices",
        "diagnostics",
        "discovery",
        "discovery-update-info",
        "docs-data-update",
        "docs-examples",
        "docs-known-limitations",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-troubleshooting",
        "docs-use-cases",
        "dynamic-devices",
        "entity-category",
        "entity-device-class",
        "entity-disabled-by-default",
        "entity-translations",
        "exception-translations",
        "icon-translations",
        "reconfiguration-flow",
        "repair-issues",
        "stale-devices",
    ),
    "platinum": ("async-dependency", "inject-websession", "strict-typing"),
}
ALL_RULES = [rule for rules in QUALITY_SCALE_RULES.values() for rule in rules]

PLATFORMS = {platform.value for platform in Platform}
# hassfest's translation key rule: lower case, digits, '-' and '_', not at either end, never doubled.
RE_TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")
RE_HTML = re.compile(r"<[a-z/!][^>]*>", re.IGNORECASE)
RE_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z0-9_]+)\}(?!\})")
RE_MDI = re.compile(r"^mdi:[a-z0-9]+(-[a-z0-9]+)*$")


# --------------------------------------------------------------------------------------------
# Reading the code


@dataclass
class FlowUse:
    """Translation keys one flow kind (config or options) uses."""

    steps: set[str] = field(default_factory=set)
    errors: set[str] = field(default_factory=set)
    aborts: set[str] = field(default_factory=set)
    progress: set[str] = field(default_factory=set)
    data: set[str] = field(default_factory=set)


@dataclass
class CodeUse:
    """Everything the integration's code asks of en.json and icons.json."""

    entity: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    entity_states: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    device: set[str] = field(default_factory=set)
    exceptions: set[str] = field(default_factory=set)
    exception_placeholders: list[tuple[str, frozenset[str], str]] = field(
        default_factory=list
    )
    issues: set[str] = field(default_factory=set)
    flows: dict[str, FlowUse] = field(default_factory=lambda: defaultdict(FlowUse))
    module_schema_keys: set[str] = field(default_factory=set)
    literals: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sources: dict[str, str] = field(default_factory=dict)


def _integration_modules() -> Iterator[Path]:
    """Yield the Home Assistant side of the package (the JNAP client has no HA strings)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if "jnap" not in path.relative_to(PACKAGE).parts[:-1]:
            yield path


def _module_constants(trees: dict[str, ast.Module]) -> dict[str, str]:
    """Module-level `NAME = "text"` (also annotated) across the package."""
    found: dict[str, str] = {}
    for tree in trees.values():
        for node in tree.body:
            target: ast.expr | None = None
            value: ast.expr | None = None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                found[target.id] = value.value
    return found


class _Scanner(ast.NodeVisitor):
    """Collect translation keys from one module."""

    EXCEPTION_SUFFIXES = ("Error", "Exception", "Failed", "NotReady", "Invalid")
    ISSUE_CALLS = frozenset({"async_create_issue", "create_issue"})
    SCHEMA_MARKERS = frozenset({"Required", "Optional", "Exclusive", "Inclusive"})

    def __init__(self, module: str, constants: dict[str, str], use: CodeUse) -> None:
        self.module = module
        self.platform = module if module in PLATFORMS else None
        self.constants = constants
        self.use = use
        # Module-level helpers of config_flow.py belong to the config flow.
        self.flow: str | None = "config" if module == "config_flow" else None
        self.in_flow_class = False
        self.class_bases = ""
        self.step: str | None = None

    # -- helpers
    def text(self, node: ast.expr | None) -> str | None:
        """Return the string an expression stands for, when it can be known statically."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        name = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute):
            name = node.attr
        if name is None:
            return None
        if name in self.constants:
            return self.constants[name]
        value = getattr(ha_const, name, None)
        return value if isinstance(value, str) else None

    @staticmethod
    def callee(node: ast.Call) -> str:
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
        return ""

    @staticmethod
    def keyword(node: ast.Call, name: str) -> ast.expr | None:
        return next((kw.value for kw in node.keywords if kw.arg == name), None)

    def entity_platform(self, callee: str) -> str:
        if self.platform:
            return self.platform
        lowered = callee.lower()
        # e.g. a `BinarySensorEntityDescription` declared outside binary_sensor.py
        for platform in sorted(PLATFORMS, key=len, reverse=True):
            if platform.replace("_", "") in lowered:
                return platform
        return "?"

    # -- visitors
    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self.use.literals[self.module].add(node.value)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = " ".join(ast.unparse(base) for base in node.bases)
        saved = self.flow, self.in_flow_class, self.class_bases
        self.class_bases = bases
        if "OptionsFlow" in bases:
            self.flow, self.in_flow_class = "options", True
        elif "SubentryFlow" in bases:
            self.flow, self.in_flow_class = "config_subentries", True
        elif "ConfigFlow" in bases:
            self.flow, self.in_flow_class = "config", True
        self.generic_visit(node)
        self.flow, self.in_flow_class, self.class_bases = saved

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        previous = self.step
        if node.name.startswith("async_step_"):
            self.step = node.name.removeprefix("async_step_")
        self.generic_visit(node)
        self.step = previous

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)
        self.generic_visit(node)

    def _assigned(self, target: ast.expr, value: ast.expr) -> None:
        name = (
            target.attr
            if isinstance(target, ast.Attribute)
            else getattr(target, "id", None)
        )
        if name == "_attr_translation_key" and (key := self.text(value)):
            platform = self.entity_platform(self.class_bases)
            self.use.entity[platform].add(key)
            self.use.sources[f"entity.{platform}.{key}"] = self.module
        if self.flow is None:
            return
        flow = self.use.flows[self.flow]
        # errors["base"] = "invalid_auth"
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id.endswith("errors")
            and (key := self.text(value))
        ):
            flow.errors.add(key)
        # errors = {"base": "invalid_auth"}
        if (
            isinstance(target, ast.Name)
            and target.id.endswith("errors")
            and isinstance(value, ast.Dict)
        ):
            flow.errors.update(k for v in value.values if (k := self.text(v)))

    def visit_Dict(self, node: ast.Dict) -> None:
        # {"base": "invalid_auth"} anywhere in a flow (e.g. returned by a validation helper)
        if self.flow is not None and any(
            self.text(k) == "base" for k in node.keys if k
        ):
            self.use.flows[self.flow].errors.update(
                v for v_node in node.values if (v := self.text(v_node))
            )
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        # return None, {CONF_HOST: "invalid_host"}, {}: a field error from a helper
        if self.flow is not None and node.value is not None:
            parts = (
                node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            )
            for part in parts:
                if isinstance(part, ast.Dict) and all(
                    isinstance(v, ast.Constant)
                    and RE_TRANSLATION_KEY.match(str(v.value))
                    for v in part.values
                ):
                    self.use.flows[self.flow].errors.update(
                        str(v.value) for v in part.values
                    )
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        # raise AbortFlow("reason")
        if (
            self.flow
            and isinstance(node.exc, ast.Call)
            and self.callee(node.exc) == "AbortFlow"
            and node.exc.args
            and (key := self.text(node.exc.args[0]))
        ):
            self.use.flows[self.flow].aborts.add(key)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        callee = self.callee(node)
        translation_key = self.text(self.keyword(node, "translation_key"))
        named_by_device_class = self.keyword(node, "named_by_device_class")
        if (
            translation_key is None
            and callee.endswith("EntityDescription")
            and not (
                isinstance(named_by_device_class, ast.Constant)
                and named_by_device_class.value is True
            )
        ):
            # The base entity names a described entity by its key (entity.py).
            translation_key = self.text(self.keyword(node, "key"))
        if translation_key is not None:
            self._translation_key_call(node, callee, translation_key)
        if self.flow is not None:
            self._flow_call(node, callee)
        self.generic_visit(node)

    def _translation_key_call(self, node: ast.Call, callee: str, key: str) -> None:
        if callee in self.ISSUE_CALLS:
            self.use.issues.add(key)
        elif callee == "DeviceInfo":
            self.use.device.add(key)
        elif callee.endswith(self.EXCEPTION_SUFFIXES) or self.keyword(
            node, "translation_domain"
        ):
            self.use.exceptions.add(key)
            placeholders = self.keyword(node, "translation_placeholders")
            if placeholders is None:
                self.use.exception_placeholders.append((key, frozenset(), self.module))
            elif isinstance(placeholders, ast.Dict):
                names = frozenset(
                    k for k_node in placeholders.keys if (k := self.text(k_node))
                )
                self.use.exception_placeholders.append((key, names, self.module))
        else:
            platform = self.entity_platform(callee)
            self.use.entity[platform].add(key)
            self.use.sources[f"entity.{platform}.{key}"] = self.module
            options = self.keyword(node, "options")
            if isinstance(options, ast.List | ast.Tuple):
                values = {v for o in options.elts if (v := self.text(o))}
                if values:
                    self.use.entity_states[(platform, key)] = values

    def _flow_call(self, node: ast.Call, callee: str) -> None:
        assert self.flow is not None
        flow = self.use.flows[self.flow]
        if callee in {"async_show_form", "async_show_menu", "async_show_progress"}:
            step = self.text(self.keyword(node, "step_id")) or self.step
            if step:
                flow.steps.add(step)
            errors = self.keyword(node, "errors")
            if isinstance(errors, ast.Dict):
                flow.errors.update(k for v in errors.values if (k := self.text(v)))
            if callee == "async_show_progress" and (
                action := self.text(self.keyword(node, "progress_action"))
            ):
                flow.progress.add(action)
        reason = self.keyword(node, "reason")
        if reason is not None and (key := self.text(reason)):
            flow.aborts.add(key)
        elif callee in {"_abort_if_unique_id_configured", "_async_abort_entries_match"}:
            flow.aborts.add("already_configured")
        elif callee == "_abort_if_unique_id_mismatch":
            flow.aborts.add("unique_id_mismatch")
        if (
            callee in self.SCHEMA_MARKERS
            and node.args
            and (key := self.text(node.args[0]))
        ):
            # A schema built outside the flow classes (a module constant) may serve any step.
            (flow.data if self.in_flow_class else self.use.module_schema_keys).add(key)


@cache
def code_use() -> CodeUse:
    """Scan every integration module once per test session."""
    trees = {
        path.stem
        if path.parent == PACKAGE
        else str(path.relative_to(PACKAGE)): ast.parse(
            path.read_text(), filename=str(path)
        )
        for path in _integration_modules()
    }
    constants = _module_constants(trees)
    use = CodeUse()
    for module, tree in trees.items():
        _Scanner(module, constants, use).visit(tree)
    return use


def _load_json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    assert isinstance(data, dict), f"{path.name} must hold a JSON object"
    return data


@cache
def en_json() -> dict[str, Any]:
    return _load_json(EN_JSON) if EN_JSON.is_file() else {}


@cache
def icons_json() -> dict[str, Any]:
    return _load_json(ICONS_JSON) if ICONS_JSON.is_file() else {}


def _leaves(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    else:
        yield path, tree


# --------------------------------------------------------------------------------------------
# Quality scale


def test_rule_list_matches_core() -> None:
    counts = {tier: len(rules) for tier, rules in QUALITY_SCALE_RULES.items()}
    assert counts == {"bronze": 20, "silver": 10, "gold": 21, "platinum": 3}
    assert len(set(ALL_RULES)) == len(ALL_RULES) == 54


@cache
def quality_scale() -> dict[str, Any]:
    data = yaml.safe_load((PACKAGE / "quality_scale.yaml").read_text())
    assert isinstance(data, dict)
    assert set(data) == {"rules"}, "quality_scale.yaml holds only `rules`"
    rules = data["rules"]
    assert isinstance(rules, dict)
    return rules


def _status(value: Any) -> tuple[str, str | None]:
    if isinstance(value, str):
        return value, None
    assert isinstance(value, dict), f"a rule is `done` or a mapping, got {value!r}"
    assert set(value) <= {"status", "comment"}, f"unexpected keys in {value!r}"
    comment = value.get("comment")
    assert comment is None or isinstance(comment, str)
    return value["status"], comment


def test_quality_scale_lists_every_rule_once() -> None:
    rules = quality_scale()
    assert sorted(set(ALL_RULES) - set(rules)) == [], (
        "rules missing from quality_scale.yaml"
    )
    assert sorted(set(rules) - set(ALL_RULES)) == [], (
        "unknown rules in quality_scale.yaml"
    )


@pytest.mark.parametrize("rule", ALL_RULES)
def test_quality_scale_rule_is_done_or_exempt(rule: str) -> None:
    value = quality_scale().get(rule)
    assert value is not None, f"{rule} is missing"
    status, comment = _status(value)
    assert status in {"done", "exempt"}, (
        f"{rule} is {status!r}: every rule must be done or exempt"
    )
    if status == "exempt":
        assert comment, f"{rule} is exempt without a comment saying why"
        assert len(comment.strip()) >= 20, f"{rule}: say why it is exempt"


def _has_function(module: str, name: str) -> bool:
    path = PACKAGE / f"{module}.py"
    if not path.is_file():
        return False
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        for node in ast.walk(tree)
    )


def _package_text() -> str:
    return "\n".join(path.read_text() for path in _integration_modules())


def _platform_modules() -> list[Path]:
    return [path for path in PACKAGE.glob("*.py") if path.stem in PLATFORMS]


def _evidence_parallel_updates() -> str | None:
    missing = [
        p.name
        for p in _platform_modules()
        if not re.search(r"^PARALLEL_UPDATES\b", p.read_text(), re.M)
    ]
    return f"PARALLEL_UPDATES missing in {missing}" if missing else None


def _evidence_exception_translations() -> str | None:
    # A HomeAssistantError (or subclass) raised with a literal message is not translated.
    untranslated = {
        "HomeAssistantError",
        "ServiceValidationError",
        "ConfigEntryNotReady",
        "UpdateFailed",
    }
    offenders = [
        f"{path.name}:{node.lineno}"
        for path in _integration_modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and _Scanner.callee(node.exc) in untranslated
        and node.exc.args
        and not any(kw.arg == "translation_key" for kw in node.exc.keywords)
    ]
    return f"untranslated exceptions at {offenders}" if offenders else None


def _manifest() -> dict[str, Any]:
    return _load_json(PACKAGE / "manifest.json")


def _service_names() -> set[str]:
    if not SERVICES_YAML.is_file():
        return set()
    return set(yaml.safe_load(SERVICES_YAML.read_text()) or {})


def _evidence_action_setup() -> str | None:
    if not _service_names():
        return "services.yaml lists no action"
    if not _has_function("__init__", "async_setup"):
        return "no async_setup registers the actions"
    if "async_setup_services(hass)" not in (PACKAGE / "__init__.py").read_text():
        return "async_setup does not call async_setup_services"
    return None


def _evidence_docs_actions() -> str | None:
    readme = _readme()
    missing = sorted(
        name for name in _service_names() if f"{DOMAIN}.{name}" not in readme
    )
    return f"README does not describe {missing}" if missing else None


# What can be checked cheaply for rules marked done; a failure means the claim is not true (yet).
RULE_EVIDENCE: dict[str, Any] = {
    "action-setup": _evidence_action_setup,
    "docs-actions": _evidence_docs_actions,
    "brands": lambda: (
        None if (BRAND / "icon.png").is_file() else "brand/icon.png missing"
    ),
    "config-flow": lambda: (
        None
        if _manifest().get("config_flow") and (PACKAGE / "config_flow.py").is_file()
        else "no config flow"
    ),
    "config-flow-test-coverage": lambda: (
        None
        if (ROOT / "tests" / "test_config_flow.py").is_file()
        else "tests/test_config_flow.py missing"
    ),
    "runtime-data": lambda: (
        None if "runtime_data" in _package_text() else "entry.runtime_data unused"
    ),
    "unique-config-entry": lambda: (
        None
        if "async_set_unique_id" in _package_text()
        and "_abort_if_unique_id_configured" in _package_text()
        else "no unique id handling in the config flow"
    ),
    "has-entity-name": lambda: (
        None
        if "_attr_has_entity_name = True" in _package_text()
        else "no entity sets _attr_has_entity_name = True"
    ),
    "entity-unique-id": lambda: (
        None
        if "_attr_unique_id" in _package_text()
        else "no entity sets _attr_unique_id"
    ),
    "test-before-setup": lambda: (
        None
        if "async_config_entry_first_refresh" in _package_text()
        or "ConfigEntryNotReady" in _package_text()
        else "setup does not test the connection"
    ),
    "config-entry-unloading": lambda: (
        None
        if _has_function("__init__", "async_unload_entry")
        else "no async_unload_entry"
    ),
    "reauthentication-flow": lambda: (
        None
        if _has_function("config_flow", "async_step_reauth")
        else "no async_step_reauth"
    ),
    "reconfiguration-flow": lambda: (
        None
        if _has_function("config_flow", "async_step_reconfigure")
        else "no async_step_reconfigure"
    ),
    "parallel-updates": _evidence_parallel_updates,
    "diagnostics": lambda: (
        None
        if _has_function("diagnostics", "async_get_config_entry_diagnostics")
        else "no config entry diagnostics"
    ),
    "discovery": lambda: (
        None
        if any(k in _manifest() for k in ("dhcp", "ssdp", "zeroconf"))
        and any(
            _has_function("config_flow", f"async_step_{k}")
            for k in ("dhcp", "ssdp", "zeroconf")
        )
        else "no discovery in manifest and config flow"
    ),
    "stale-devices": lambda: (
        None
        if _has_function("__init__", "async_remove_config_entry_device")
        or "async_remove_device" in _package_text()
        else "stale devices are never removed"
    ),
    "repair-issues": lambda: (
        None
        if "async_create_issue" in _package_text()
        else "no repair issue is ever raised"
    ),
    "icon-translations": lambda: None if ICONS_JSON.is_file() else "icons.json missing",
    "entity-translations": lambda: (
        None if en_json().get("entity") else "no entity translations"
    ),
    "exception-translations": _evidence_exception_translations,
    "inject-websession": lambda: (
        None
        if "async_get_clientsession" in _package_text()
        or "async_create_clientsession" in _package_text()
        else "the client does not get Home Assistant's aiohttp session"
    ),
    "strict-typing": lambda: (
        None if (PACKAGE / "jnap" / "py.typed").is_file() else "jnap/py.typed missing"
    ),
    "dependency-transparency": lambda: (
        None
        if all("==" in req for req in _manifest().get("requirements", []))
        else "requirements must be pinned"
    ),
    "integration-owner": lambda: (
        None if _manifest().get("codeowners") else "no codeowners"
    ),
}


@pytest.mark.parametrize("rule", sorted(set(RULE_EVIDENCE) & set(ALL_RULES)))
def test_done_rules_have_evidence(rule: str) -> None:
    status, _ = _status(quality_scale().get(rule, "todo"))
    if status != "done":
        pytest.skip(f"{rule} is {status}")
    problem = RULE_EVIDENCE[rule]()
    assert problem is None, f"{rule} is marked done, but: {problem}"


# --------------------------------------------------------------------------------------------
# Manifest, hacs.json, licence (what hassfest and HACS check of a custom integration)

MANIFEST_KEYS = {
    "domain", "name", "after_dependencies", "bluetooth", "codeowners", "config_flow",
    "dependencies", "dhcp", "disabled", "documentation", "homekit", "import_executor",
    "integration_type", "iot_class", "issue_tracker", "loggers", "mqtt", "quality_scale",
    "requirements", "single_config_entry", "ssdp", "usb", "version", "zeroconf",
}  # fmt: skip
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {
    "device",
    "entity",
    "hardware",
    "helper",
    "hub",
    "service",
    "system",
    "virtual",
}


def test_manifest_fields() -> None:
    manifest = _manifest()
    assert set(manifest) <= MANIFEST_KEYS, (
        f"unknown manifest keys {set(manifest) - MANIFEST_KEYS}"
    )
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    for key in (
        "codeowners",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "version",
    ):
        assert key in manifest, (
            f"{key} is required for a custom integration (hassfest, HACS)"
        )
    assert manifest["domain"] == PACKAGE.name == DOMAIN
    assert AwesomeVersion(manifest["version"]).valid
    assert manifest["iot_class"] in IOT_CLASSES
    assert manifest["integration_type"] in INTEGRATION_TYPES
    assert manifest["codeowners"]
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    for url_key in ("documentation", "issue_tracker"):
        assert manifest[url_key].startswith("https://")
    assert manifest.get("config_flow") is True
    assert (PACKAGE / "config_flow.py").is_file()
    for matcher in manifest.get("dhcp", []):
        assert set(matcher) <= {"hostname", "macaddress", "registered_devices"}
        if "macaddress" in matcher:
            assert re.fullmatch(r"[0-9A-F]{6}\*", matcher["macaddress"]), matcher
    for logger in manifest.get("loggers", []):
        assert logger.startswith(("custom_components.linksys_jnap", "segno"))


def test_manifest_requirements_are_pinned_and_installed() -> None:
    """dependency-transparency: pinned, and what the tests run with."""
    for requirement in _manifest().get("requirements", []):
        name, _, version = requirement.partition("==")
        assert version, f"{requirement} is not pinned with =="
        assert importlib.metadata.version(name) == version, (
            f"{name} in .venv differs from the manifest"
        )


HACS_KEYS = {
    "name", "content_in_root", "country", "filename", "hacs", "hide_default_branch",
    "homeassistant", "persistent_directory", "render_readme", "zip_release",
}  # fmt: skip


def test_hacs_json() -> None:
    hacs = _load_json(ROOT / "hacs.json")
    assert set(hacs) <= HACS_KEYS, f"HACS rejects unknown keys: {set(hacs) - HACS_KEYS}"
    assert isinstance(hacs.get("name"), str)
    assert hacs["name"]
    assert not hacs.get("content_in_root"), (
        "the integration lives in custom_components/"
    )
    assert [p.name for p in (ROOT / "custom_components").iterdir() if p.is_dir()] == [
        DOMAIN
    ], "HACS manages one integration per repository"
    # The minimum Home Assistant version must be one the tests run against, or older.
    assert AwesomeVersion(hacs["homeassistant"]) <= AwesomeVersion(ha_version)
    assert (ROOT / "README.md").is_file()


def test_tested_range() -> None:
    """hacs.json's minimum is the oldest release tested; the README states the range."""
    oldest = _load_json(ROOT / "hacs.json")["homeassistant"]
    assert oldest == ha_version, "the minimum is the release the tests pin"
    pins = (ROOT / "requirements_newest.txt").read_text()
    newest = re.search(r"^homeassistant==(\S+)$", pins, re.MULTILINE)
    assert newest is not None, "requirements_newest.txt pins homeassistant==<version>"
    assert AwesomeVersion(newest[1]) >= AwesomeVersion(oldest)
    stated = (
        f"on the oldest supported release, {oldest}, and on the newest, {newest[1]},"
    )
    assert stated in " ".join(_readme().split()), f"README lacks {stated!r}"


def test_licence_is_osi_approved() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith(("MIT License", "Apache License", "BSD")), (
        "HACS wants an OSI licence"
    )


# --------------------------------------------------------------------------------------------
# Brand images (custom_components/<domain>/brand/, served by Home Assistant >= 2026.3)

BRAND_FILES = {
    "icon.png", "icon@2x.png", "logo.png", "logo@2x.png",
    "dark_icon.png", "dark_icon@2x.png", "dark_logo.png", "dark_logo@2x.png",
}  # fmt: skip


def _image(name: str) -> Image.Image:
    image = Image.open(BRAND / name)
    assert image.format == "PNG", f"{name} must be a PNG"
    return image


def test_brand_icon_sizes() -> None:
    assert {p.name for p in BRAND.iterdir()} <= BRAND_FILES
    for prefix in ("", "dark_"):
        if not (BRAND / f"{prefix}icon.png").is_file():
            assert prefix, "icon.png is required"
            continue
        assert _image(f"{prefix}icon.png").size == (256, 256)
        assert _image(f"{prefix}icon@2x.png").size == (512, 512)


def test_brand_logo_sizes() -> None:
    for prefix in ("", "dark_"):
        if not (BRAND / f"{prefix}logo.png").is_file():
            continue
        logo, logo2x = _image(f"{prefix}logo.png"), _image(f"{prefix}logo@2x.png")
        assert 128 <= min(logo.size) <= 256, (
            f"{prefix}logo.png: shortest side 128-256 px"
        )
        assert 256 <= min(logo2x.size) <= 512, (
            f"{prefix}logo@2x.png: shortest side 256-512 px"
        )
        assert logo2x.size == (logo.width * 2, logo.height * 2)
        assert logo.width >= logo.height, "a logo is landscape (or square)"


def test_brand_images_are_transparent_and_trimmed() -> None:
    for name in sorted(p.name for p in BRAND.iterdir()):
        image = _image(name).convert("RGBA")
        alpha = image.getchannel("A")
        assert alpha.getpixel((0, 0)) == 0, (
            f"{name}: the background should be transparent"
        )
        # Trimmed: the artwork touches every edge (within 2 % of the size).
        box = alpha.point(lambda a: 255 if a > 16 else 0).getbbox()
        assert box is not None
        slack = max(image.size) * 0.02
        margins = (box[0], box[1], image.width - box[2], image.height - box[3])
        assert max(margins) <= slack, f"{name} is not trimmed: margins {margins}"


# --------------------------------------------------------------------------------------------
# translations/en.json: shape (what hassfest checks) and agreement with the code

FLOW_STEP_KEYS = {
    "title",
    "description",
    "data",
    "data_description",
    "menu_options",
    "submit",
    "sections",
}
FLOW_KEYS = {
    "flow_title",
    "step",
    "error",
    "abort",
    "progress",
    "create_entry",
    "initiate_flow",
    "entry_type",
}
TOP_KEYS = {
    "title", "config", "options", "config_subentries", "selector", "device_automation", "system_health",
    "issues", "entity_component", "device", "entity", "exceptions", "services", "common",
}  # fmt: skip


def test_translations_are_shaped_as_hassfest_wants() -> None:
    strings = en_json()
    assert EN_JSON.is_file(), "custom integrations ship translations/en.json"
    assert not (PACKAGE / "strings.json").exists(), (
        "strings.json is for core integrations"
    )
    assert set(strings) <= TOP_KEYS, f"unknown top-level keys {set(strings) - TOP_KEYS}"
    for path, value in _leaves(strings):
        assert isinstance(value, str), f"{path}: translations are strings"
        assert value, f"{path}: empty"
        assert value == value.strip(), f"{path}: padded with spaces"
        assert not RE_HTML.search(value), f"{path}: no HTML in translations"
        assert "[%key:" not in value, (
            f"{path}: references are not resolved for custom integrations"
        )
        assert not re.search(r"'\{\w+\}'", value), (
            f"{path}: no placeholders in single quotes"
        )
    for kind in ("config", "options"):
        if kind not in strings:
            continue
        flow = strings[kind]
        assert set(flow) <= FLOW_KEYS, f"{kind}: unknown keys {set(flow) - FLOW_KEYS}"
        assert "title" not in flow, f"{kind}.title: the title comes from the manifest"
        for step_id, step in flow.get("step", {}).items():
            assert set(step) <= FLOW_STEP_KEYS, f"{kind}.step.{step_id}: unknown keys"
            data = step.get("data", {})
            descriptions = step.get("data_description", {})
            assert set(descriptions) <= set(data), (
                f"{kind}.step.{step_id}: data_description without data"
            )
            assert set(data) <= set(descriptions), (
                f"{kind}.step.{step_id}: every field needs a data_description "
                f"(missing {sorted(set(data) - set(descriptions))})"
            )
        for section in ("error", "abort", "progress"):
            for key in flow.get(section, {}):
                assert RE_TRANSLATION_KEY.match(key), f"{kind}.{section}.{key}: bad key"
    for platform, keys in strings.get("entity", {}).items():
        assert platform in PLATFORMS, f"entity.{platform}: not a platform"
        for key, entry in keys.items():
            assert RE_TRANSLATION_KEY.match(key), f"entity.{platform}.{key}: bad key"
            assert set(entry) <= {
                "name",
                "state",
                "state_attributes",
                "unit_of_measurement",
            }
            for state in entry.get("state", {}):
                assert RE_TRANSLATION_KEY.match(state), (
                    f"entity.{platform}.{key}.state.{state}: bad key"
                )
    for key, entry in strings.get("exceptions", {}).items():
        assert re.fullmatch(r"[a-z0-9_]+", key), f"exceptions.{key}: bad key"
        assert set(entry) == {"message"}, f"exceptions.{key}: needs exactly a message"
    for key, entry in strings.get("issues", {}).items():
        assert RE_TRANSLATION_KEY.match(key), f"issues.{key}: bad key"
        assert "title" in entry, f"issues.{key}: needs a title"
        assert ("description" in entry) != ("fix_flow" in entry), (
            f"issues.{key}: description xor fix_flow"
        )


def _platforms_with_code() -> set[str]:
    return {path.stem for path in _platform_modules()}


def test_entity_translation_keys_used_in_code_exist() -> None:
    use, entity = code_use(), en_json().get("entity", {})
    missing = []
    for platform, keys in use.entity.items():
        for key in sorted(keys):
            if platform == "?":
                if not any(key in entity.get(p, {}) for p in entity):
                    missing.append(f"entity.?.{key}")
            elif key not in entity.get(platform, {}):
                missing.append(
                    f"entity.{platform}.{key} ({use.sources.get(f'entity.{platform}.{key}')}.py)"
                )
    assert missing == [], "translation keys used in code but missing from en.json"


def test_entity_translations_in_en_json_are_used() -> None:
    use = code_use()
    unused = []
    for platform, keys in en_json().get("entity", {}).items():
        for key in keys:
            used = key in use.entity.get(platform, set()) or key in use.entity.get(
                "?", set()
            )
            # A key built at run time still appears as text in its platform's module.
            used = used or key in use.literals.get(platform, set())
            if not used:
                unused.append(f"entity.{platform}.{key}")
    assert unused == [], "entity translations no code uses"


def test_entity_translations_have_names() -> None:
    for platform, keys in en_json().get("entity", {}).items():
        for key, entry in keys.items():
            assert entry.get("name"), f"entity.{platform}.{key} has no name"


def test_enum_states_are_translated() -> None:
    entity = en_json().get("entity", {})
    for (platform, key), options in code_use().entity_states.items():
        states = set(entity.get(platform, {}).get(key, {}).get("state", {}))
        assert options <= states, (
            f"entity.{platform}.{key}: untranslated states {options - states}"
        )


def _all_literals() -> set[str]:
    return set().union(*code_use().literals.values()) if code_use().literals else set()


def test_exception_translation_keys() -> None:
    use = code_use()
    strings = en_json().get("exceptions", {})
    assert sorted(use.exceptions - set(strings)) == [], (
        "exception keys missing from en.json"
    )
    unused = sorted(
        k for k in strings if k not in use.exceptions and k not in _all_literals()
    )
    assert unused == [], "exception translations no code raises"


def test_exception_placeholders_are_filled() -> None:
    strings = en_json().get("exceptions", {})
    for key, given, module in code_use().exception_placeholders:
        if key not in strings:
            continue  # reported by test_exception_translation_keys
        wanted = set(RE_PLACEHOLDER.findall(strings[key]["message"]))
        assert wanted <= given, (
            f"{module}.py raises {key} without placeholders {wanted - given}"
        )


def test_issue_translation_keys() -> None:
    use = code_use()
    strings = en_json().get("issues", {})
    assert sorted(use.issues - set(strings)) == [], (
        "repair issue keys missing from en.json"
    )
    unused = sorted(
        k for k in strings if k not in use.issues and k not in _all_literals()
    )
    assert unused == [], "issue translations no code raises"


def test_device_translation_keys() -> None:
    strings = en_json().get("device", {})
    assert sorted(code_use().device - set(strings)) == []
    assert sorted(set(strings) - code_use().device - _all_literals()) == []


@pytest.mark.parametrize("kind", ["config", "options"])
def test_flow_translation_keys(kind: str) -> None:
    use = code_use().flows.get(kind, FlowUse())
    strings = en_json().get(kind, {})
    steps = strings.get("step", {})
    literals = code_use().literals.get("config_flow", set())
    assert sorted(use.steps - set(steps)) == [], f"{kind} steps without translations"
    assert sorted(use.errors - set(strings.get("error", {}))) == [], (
        f"{kind} errors missing"
    )
    assert sorted(use.aborts - set(strings.get("abort", {}))) == [], (
        f"{kind} abort reasons missing"
    )
    assert sorted(use.progress - set(strings.get("progress", {}))) == []
    step_data = (
        set().union(*(set(step.get("data", {})) for step in steps.values()))
        if steps
        else set()
    )
    assert sorted(use.data - step_data) == [], f"{kind} form fields without a label"
    # ...and the other way round: nothing in en.json the flow never shows.
    assert sorted(set(steps) - use.steps) == [], (
        f"{kind} steps in en.json the flow never shows"
    )
    for section in ("error", "abort", "progress"):
        unused = sorted(
            k
            for k in strings.get(section, {})
            if k not in literals | use.errors | use.aborts
        )
        # Reasons Home Assistant itself raises for a flow that sets a unique id.
        if (
            section == "abort"
            and "async_set_unique_id" in literals | _config_flow_calls()
        ):
            unused = [k for k in unused if k != "already_in_progress"]
        assert unused == [], (
            f"{kind}.{section} keys the code never uses (async_update_reload_and_abort without "
            "a reason aborts with Home Assistant's own reauth_successful/reconfigure_successful)"
        )


@cache
def _config_flow_calls() -> set[str]:
    path = PACKAGE / "config_flow.py"
    if not path.is_file():
        return set()
    return {
        _Scanner.callee(n)
        for n in ast.walk(ast.parse(path.read_text()))
        if isinstance(n, ast.Call)
    }


def test_module_level_form_fields_have_labels() -> None:
    labelled: set[str] = set()
    for kind in ("config", "options"):
        for step in en_json().get(kind, {}).get("step", {}).values():
            labelled |= set(step.get("data", {}))
    assert sorted(code_use().module_schema_keys - labelled) == [], (
        "form fields without a label"
    )


# --------------------------------------------------------------------------------------------
# icons.json


def _check_icon(path: str, value: Any) -> None:
    assert isinstance(value, str), f"{path}: {value!r} is not a string"
    assert RE_MDI.match(value), f"{path}: {value!r} is not an mdi: icon"


def test_icons_json_shape() -> None:
    icons = icons_json()
    assert set(icons) <= {"entity", "services"}, (
        f"unknown keys {set(icons) - {'entity', 'services'}}"
    )
    for platform, keys in icons.get("entity", {}).items():
        assert platform in PLATFORMS, f"icons.entity.{platform}: not a platform"
        for key, entry in keys.items():
            assert set(entry) <= {"default", "state", "state_attributes", "range"}
            if "default" in entry:
                _check_icon(f"{platform}.{key}.default", entry["default"])
            for state, icon in entry.get("state", {}).items():
                _check_icon(f"{platform}.{key}.state.{state}", icon)
            for value, icon in entry.get("range", {}).items():
                float(value)
                _check_icon(f"{platform}.{key}.range.{value}", icon)
    for service, entry in icons.get("services", {}).items():
        icon = entry["service"] if isinstance(entry, dict) else entry
        _check_icon(f"services.{service}", icon)


def test_every_entity_translation_key_has_an_icon() -> None:
    icons = icons_json().get("entity", {})
    missing = [
        f"{platform}.{key}"
        for platform, keys in en_json().get("entity", {}).items()
        for key in keys
        if not (
            icons.get(platform, {}).get(key, {}).get("default")
            or icons.get(platform, {}).get(key, {}).get("state")
        )
    ]
    assert missing == [], "entity translation keys without an icon in icons.json"
    orphans = [
        f"{platform}.{key}"
        for platform, keys in icons.items()
        for key in keys
        if key not in en_json().get("entity", {}).get(platform, {})
    ]
    assert orphans == [], "icons for translation keys that do not exist"


def test_services_are_described() -> None:
    services = (
        yaml.safe_load(SERVICES_YAML.read_text()) if SERVICES_YAML.is_file() else {}
    )
    services = services or {}
    assert set(en_json().get("services", {})) == set(services)
    assert set(icons_json().get("services", {})) == set(services)
    for name in services:
        assert {"name", "description"} <= set(en_json()["services"][name])


def test_platform_modules_declare_parallel_updates() -> None:
    assert _evidence_parallel_updates() is None


def test_scanner_finds_keys_in_every_shape() -> None:
    """The parser itself: every way the code can name a translation key is recognised."""
    source = """
KEY = "from_constant"
class Flow(ConfigFlow, domain="x"):
    async def async_step_user(self, user_input=None):
        errors = {}
        errors["base"] = "invalid_auth"
        errors[CONF_BASE] = KEY
        helper = {"base": "from_helper"}
        suggested = {CONF_HOST: "192.168.1.1"}
        self._abort_if_unique_id_configured()
        if bad:
            raise AbortFlow("raised_abort")
        return self.async_show_form(data_schema=vol.Schema({vol.Required(CONF_HOST): str}), errors={"base": "inline"})
    async def _validate(self, data):
        return None, {CONF_HOST: "field_error"}, {}
    async def async_step_reauth_confirm(self, user_input=None):
        return self.async_abort(reason="custom_reason")
class Options(OptionsFlow):
    async def async_step_init(self, user_input=None):
        return self.async_show_form(step_id="init", data_schema=vol.Schema({vol.Optional("consider_home"): int}))
class Thing(SensorEntity):
    _attr_translation_key = "attr_key"
D = SensorEntityDescription(key="a", translation_key="desc_key", options=["one", "two"])
SCHEMA = vol.Schema({vol.Required("shared_field"): str})
def f():
    raise HomeAssistantError(translation_domain=DOMAIN, translation_key="exc_key", translation_placeholders={"seconds": "1"})
    ir.async_create_issue(hass, DOMAIN, "id", translation_key="issue_key")
    DeviceInfo(translation_key="device_key")
"""
    tree = ast.parse(source)
    use = CodeUse()
    _Scanner("config_flow", _module_constants({"m": tree}), use).visit(tree)
    config, options = use.flows["config"], use.flows["options"]
    assert config.steps == {"user"}
    assert config.errors == {
        "invalid_auth",
        "from_constant",
        "inline",
        "from_helper",
        "field_error",
    }
    assert config.aborts == {"already_configured", "raised_abort", "custom_reason"}
    assert config.data == {"host"}
    assert options.steps == {"init"}
    assert options.data == {"consider_home"}
    assert use.entity["sensor"] == {"attr_key", "desc_key"}
    assert use.entity_states[("sensor", "desc_key")] == {"one", "two"}
    assert use.exceptions == {"exc_key"}
    assert use.exception_placeholders == [
        ("exc_key", frozenset({"seconds"}), "config_flow")
    ]
    assert use.issues == {"issue_key"}
    assert use.device == {"device_key"}
    assert use.module_schema_keys == {"shared_field"}


# --------------------------------------------------------------------------------------------
# README: the quality scale's documentation rules

README_SECTIONS = (
    "## What it does",  # docs-high-level-description
    "## Supported routers",  # docs-supported-devices
    "## Installation",  # docs-installation-instructions
    "## Configuration",  # docs-installation-parameters, docs-configuration-parameters
    "## Entities",  # docs-supported-functions
    "## How data is updated",  # docs-data-update
    "## Automation examples",  # docs-examples, docs-use-cases
    "## Known limitations",  # docs-known-limitations
    "## Troubleshooting",  # docs-troubleshooting
    "## Removal",  # docs-removal-instructions
)


def _readme() -> str:
    return (ROOT / "README.md").read_text()


def test_readme_first_screen_keeps_the_two_commands() -> None:
    first_screen = _readme().splitlines()[:8]
    assert first_screen[0].startswith("# ")
    assert any(line.startswith("scripts/demo") for line in first_screen)
    assert any(line.startswith("scripts/test") for line in first_screen)


@pytest.mark.parametrize("heading", README_SECTIONS)
def test_readme_has_documentation_section(heading: str) -> None:
    assert heading in _readme().splitlines(), f"README lacks {heading!r}"


def test_readme_lists_every_entity() -> None:
    readme = _readme().lower()
    missing = [
        f"entity.{platform}.{key} ({entry['name']})"
        for platform, keys in en_json().get("entity", {}).items()
        for key, entry in keys.items()
        if "name" in entry
        and "{" not in entry["name"]
        and entry["name"].lower() not in readme
    ]
    assert missing == [], "entities the README does not describe"


def test_readme_documents_every_option_and_field() -> None:
    readme = _readme()
    for kind in ("config", "options"):
        for step in en_json().get(kind, {}).get("step", {}).values():
            for label in step.get("data", {}).values():
                assert f"**{label}**" in readme, (
                    f"README does not explain the field {label!r}"
                )
