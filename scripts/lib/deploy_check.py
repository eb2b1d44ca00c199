#!/usr/bin/env python3
"""Checks the deployment as an operator would meet it, with no Docker engine and no helm binary.

  deploy_check.py COMPOSE_BIN   (run by scripts/test.sh; COMPOSE_BIN: docker-compose from PyPI)

- compose: `docker-compose config` for every environment, with .env.example's variables filled in;
  and refused when a required variable (IMAGE_TAG, CONFIG_ENV) is missing;
- Helm: the chart rendered with Helm's own engine (helm-python-sdk) for default, staging and
  production values, linted strictly, every manifest validated against the Kubernetes schemas
  (kubernetes-validate, strict) of the oldest and newest versions we support; the chart refuses
  image tag `latest`;
- Prometheus: `promtool check config`, `promtool check rules`, `promtool test rules`;
  Alertmanager: `amtool check-config`;
- coverage: every service the package builds has its compose service, migration (when it has a
  schema), Helm values, scrape target and dashboard row, and is in the image.
"""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import helm_python as helm
import kubernetes_validate
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose"
CHART = ROOT / "helm" / "hotel-platform"
ENVIRONMENTS = ["dev", "staging", "production"]
MOVED_DATABASE = "postgresql://hotel:secret@db-server.internal:5432/hotel_db"
KUBERNETES_VERSIONS = ["1.29.0", "1.35.0"]
# Kinds of the Prometheus Operator: no published schema; checked by hand below.
OPERATOR_KINDS = {"PodMonitor", "PrometheusRule"}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL " + message, file=sys.stderr)


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


# ── compose ───────────────────────────────────────────────────────────────────────────────────────

def sample_env(directory, **extra):
    """.env.example with every empty secret filled, as an operator's .env.<environment> would be."""
    lines = []
    for line in (COMPOSE / ".env.example").read_text().splitlines():
        if line.split("=", 1)[0] in extra:
            continue
        if re.match(r"^[A-Z_]+=$", line):
            name = line[:-1]
            line += "https://chat.example/hooks/x" if name.endswith("_URL") else ("hk_admin_check" if name == "ADMIN_API_KEY" else "0" * 64)
        lines.append(line)
    lines += [f"{k}={v}" for k, v in extra.items()]
    path = pathlib.Path(directory) / "env"
    path.write_text("\n".join(lines) + "\n")
    return path


def compose_config(compose_bin, env_file, environment):
    files = ["-f", str(COMPOSE / "compose.base.yml"), "-f", str(COMPOSE / f"compose.{environment}.yml")]
    # Only the env file speaks: compose lets the caller's environment win over it (scripts/test.sh
    # exports the test servers' DATABASE_URL and friends).
    clean = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return run([compose_bin, "--env-file", str(env_file), *files, "config"], cwd=COMPOSE, env=clean)


def check_compose(compose_bin):
    configs = {}
    with tempfile.TemporaryDirectory() as directory:
        for environment in ENVIRONMENTS:
            # Production's database on its own server (seed 003, stage 2).
            moved = {"DATABASE_URL": MOVED_DATABASE} if environment == "production" else {}
            env = sample_env(directory, CONFIG_ENV=environment, IMAGE_TAG="v1.2.3", **moved)
            result = compose_config(compose_bin, env, environment)
            if result.returncode != 0:
                fail(f"docker-compose config ({environment}): {result.stderr.strip()}")
                continue
            configs[environment] = yaml.safe_load(result.stdout)
            print(f"compose {environment}: valid, {len(configs[environment]['services'])} services")
        for missing in ("IMAGE_TAG", "CONFIG_ENV"):
            given = {"CONFIG_ENV": "production", "IMAGE_TAG": "v1.2.3"}
            del given[missing]
            result = compose_config(compose_bin, sample_env(directory, **given), "production")
            if result.returncode == 0 or missing not in result.stderr:
                fail(f"compose config without {missing} should be refused naming it, got: {result.returncode} {result.stderr.strip()}")
    for environment, config in configs.items():
        check_compose_environment(environment, config)
    return configs


def check_compose_environment(environment, config):
    services = config["services"]
    for name, service in services.items():
        env = service.get("environment") or {}
        if "CONFIG_ENV" in env and env["CONFIG_ENV"] != environment:
            fail(f"compose {environment}: {name} reads CONFIG_ENV={env['CONFIG_ENV']}")
        if str(service.get("image", "")).endswith(":latest"):
            fail(f"compose {environment}: {name} runs an image tagged latest")
        # Two replicas cannot bind one host port, on any address.
        replicas = (service.get("deploy") or {}).get("replicas", 1)
        if replicas > 1 and service.get("ports"):
            fail(f"compose {environment}: {name} runs {replicas} replicas on a fixed host port")
    expected = MOVED_DATABASE if environment == "production" else "postgresql://hotel:change_me_db_password@postgres:5432/hotel_db"
    for name in ("migrate", "order-service", "api-gateway"):
        if env_of(services, name).get("DATABASE_URL") != expected:
            fail(f"compose {environment}: {name}'s DATABASE_URL is not .env's ({expected})")
    for name, service in services.items():
        if name != "migrate" and "migrate" in (service.get("depends_on") or {}):
            condition = service["depends_on"]["migrate"].get("condition")
            if condition != "service_completed_successfully":
                fail(f"compose {environment}: {name} waits for migrate with {condition}")
    bi = env_of(services, "bi-service")
    if not bi.get("CLICKHOUSE_USER") or not bi.get("CLICKHOUSE_PASSWORD"):
        fail(f"compose {environment}: bi-service has no ClickHouse credentials")


def env_of(services, name):
    return services.get(name, {}).get("environment") or {}


# ── Helm ──────────────────────────────────────────────────────────────────────────────────────────

def values_file(name):
    return yaml.safe_load((CHART / name).read_text()) if name else None


def render(values):
    chart = helm.Chart.load(str(CHART))
    manifests = chart.render(values, name="hotel", namespace="hotel-platform", is_install=True)
    documents = []
    for template, text in sorted(manifests.items()):
        for document in yaml.safe_load_all(text):
            if document:
                documents.append((template, document))
    return documents


def check_chart():
    for label, file in (("default", None), ("staging", "values-staging.yaml"), ("production", "values-production.yaml")):
        values = values_file(file)
        report = helm.lint(str(CHART), values, strict=True, namespace="hotel-platform")
        problems = [m for m in report.get("messages", []) if m.get("severity", 0) >= 2] + [{"error": e} for e in report.get("errors", [])]
        for problem in problems:
            fail(f"helm lint ({label}): {problem.get('path', '')} {problem['error']}")
        try:
            documents = render(dict(values or {}, image={"tag": "v1.2.3"}))
        except helm.HelmError as error:
            fail(f"helm render ({label}): {error}")
            continue
        for version in KUBERNETES_VERSIONS:
            for template, document in documents:
                if document["kind"] in OPERATOR_KINDS:
                    continue
                try:
                    kubernetes_validate.validate(document, version, strict=True)
                except kubernetes_validate.ValidationError as error:
                    fail(f"{label} {template} {document['kind']}/{document['metadata']['name']} (Kubernetes {version}): {error.message} at {list(error.path)}")
        check_manifests(label, documents)
        print(f"helm {label}: lint clean, {len(documents)} manifests valid for Kubernetes {', '.join(KUBERNETES_VERSIONS)}")
    try:
        render({"image": {"tag": "latest"}})
        fail("the chart renders image tag latest")
    except helm.HelmError as error:
        if "latest" not in str(error):
            fail(f"the chart refuses image tag latest with an unclear error: {error}")


def check_manifests(label, documents):
    kinds = {}
    for _, document in documents:
        kinds.setdefault(document["kind"], []).append(document)
    if "Namespace" in kinds:
        fail(f"helm {label}: the chart creates a Namespace (helm install --namespace owns that)")
    hpas = {h["spec"]["scaleTargetRef"]["name"] for h in kinds.get("HorizontalPodAutoscaler", [])}
    pdbs = {p["metadata"]["name"] for p in kinds.get("PodDisruptionBudget", [])}
    for deployment in kinds.get("Deployment", []):
        name, spec = deployment["metadata"]["name"], deployment["spec"]
        pod = spec["template"]["spec"]
        if name in hpas and "replicas" in spec:
            fail(f"helm {label}: {name} sets replicas under an HPA")
        least = spec.get("replicas", 2 if name in hpas else 1)
        if least >= 2 and name not in pdbs:
            fail(f"helm {label}: {name} runs {least}+ replicas without a PodDisruptionBudget")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            fail(f"helm {label}: {name} may run as root")
        for container in pod["containers"]:
            security = container.get("securityContext", {})
            if not security.get("readOnlyRootFilesystem") or security.get("allowPrivilegeEscalation", True):
                fail(f"helm {label}: {name} has a writable root filesystem or may escalate privileges")
            if "startupProbe" not in container:
                fail(f"helm {label}: {name} has no startupProbe")
            if container["image"].endswith(":latest") or ":" not in container["image"]:
                fail(f"helm {label}: {name} runs {container['image']}")
    jobs = [j for j in kinds.get("Job", []) if "pre-upgrade" in j["metadata"].get("annotations", {}).get("helm.sh/hook", "")]
    if not any("pre-install" in j["metadata"]["annotations"]["helm.sh/hook"] for j in jobs):
        fail(f"helm {label}: no pre-install/pre-upgrade migration Job")
    monitors = kinds.get("PodMonitor", [])
    if not monitors or "release" not in monitors[0]["metadata"].get("labels", {}):
        fail(f"helm {label}: the PodMonitor lacks the release label Prometheus installs select by")
    monitoring = yaml.safe_load((CHART / "values.yaml").read_text())["monitoring"]["namespace"]
    scraped = set()
    for policy in kinds.get("NetworkPolicy", []):
        for rule in policy["spec"].get("ingress", []):
            if any(f.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name") == monitoring for f in rule.get("from", [])):
                scraped |= {p["port"] for p in rule.get("ports", [])}
    if not {8080, 9080} <= scraped:
        fail(f"helm {label}: Prometheus ({monitoring}) may not reach ports {sorted({8080, 9080} - scraped)}")
    rules = kinds.get("PrometheusRule", [])
    compose_rules = yaml.safe_load((COMPOSE / "prometheus" / "alerts.yml").read_text())["groups"]
    if not rules or rules[0]["spec"]["groups"] != compose_rules:
        fail(f"helm {label}: the PrometheusRule is not compose's alert rules")


# ── Prometheus and Alertmanager ───────────────────────────────────────────────────────────────────

def check_prometheus():
    for command in (["promtool", "check", "config", "prometheus/prometheus.yml"], ["promtool", "check", "rules", "prometheus/alerts.yml"],
                    ["promtool", "test", "rules", "prometheus/alerts.test.yml"], ["amtool", "check-config", "alertmanager/alertmanager.yml"]):
        result = run(command, cwd=COMPOSE)
        if result.returncode != 0:
            fail(" ".join(command) + ": " + (result.stdout + result.stderr).strip())
        else:
            print(" ".join(command) + ": ok")


# ── every service everywhere ──────────────────────────────────────────────────────────────────────

def check_coverage(configs):
    package = (ROOT / "Package.swift").read_text()
    products = re.findall(r'\("([a-z-]+)", "[A-Za-z]+"\),', package[package.index("let services"):package.index("let hummingbird")])
    deployed = [p for p in products if p != "supplier-sim"]
    with_schema = set()
    for source in (ROOT / "Services").glob("*/*Service.swift"):
        text = source.read_text()
        if "schemas: [." in text:
            with_schema.add(re.search(r'name: "([a-z-]+)"', text).group(1))
    dockerfile = (COMPOSE / "Dockerfile").read_text()
    prometheus = yaml.safe_load((COMPOSE / "prometheus" / "prometheus.yml").read_text())
    scraped = {name for job in prometheus["scrape_configs"] if job["job_name"] == "hotel-platform" for sd in job["dns_sd_configs"] for name in sd["names"]}
    rows = {panel["title"] for panel in json.loads((COMPOSE / "grafana" / "dashboards" / "services.json").read_text())["panels"] if panel["type"] == "row"}
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    helm_binaries = {svc["binary"]: name for name, svc in values["services"].items()}
    base = configs.get("production", {}).get("services", {})
    compose_binaries = {svc["command"][0]: name for name, svc in base.items() if svc.get("command") and name != "migrate"}
    migrate = base.get("migrate", {}).get("command", ["", "", ""])[-1]
    migrated = set(re.search(r"for s in ([a-z -]+);", migrate).group(1).split()) if "for s in" in migrate else set()
    for product in deployed:
        where = []
        if product not in compose_binaries:
            where.append("a compose service")
        elif compose_binaries[product] not in scraped:
            where.append("a scrape target")
        if product not in helm_binaries:
            where.append("Helm values")
        if product not in rows:
            where.append("a row in the services dashboard")
        if product in with_schema and (product not in migrated or product not in values["migrations"]["services"]):
            where.append("its migrations in compose's migrate service and the chart's Job")
        if not re.search(rf"\b{re.escape(product)}\b", dockerfile.split("for s in", 1)[-1].split(";", 1)[0]):
            where.append("a binary in the image")
        if where:
            fail(f"service {product} has no " + ", ".join(where))
    if "supplier-sim" not in {svc.get("command", [""])[0] for svc in configs.get("dev", {}).get("services", {}).values()}:
        fail("the supplier simulator is not in compose's dev environment")
    if "supplier-sim" in helm_binaries:
        fail("the supplier simulator is deployed by the Helm chart")
    print(f"coverage: {len(deployed)} services each with compose service, scrape target, Helm values, dashboard row, image binary; "
          f"migrations of {', '.join(sorted(with_schema))}")


# ── CI ────────────────────────────────────────────────────────────────────────────────────────────

def check_workflows():
    workflows = ROOT / ".github" / "workflows"
    ci = yaml.safe_load((workflows / "ci.yml").read_text())
    deploy = yaml.safe_load((workflows / "deploy.yml").read_text())
    steps = lambda job: [step.get("run", "") + " " + str(step.get("with", "")) for step in job["steps"]]
    if not any("scripts/test.sh" in step for step in steps(ci["jobs"]["test"])):
        fail("ci.yml: the test job does not run scripts/test.sh")
    image = ci["jobs"]["image"]
    if image.get("needs") != "test" or not any("compose/Dockerfile" in step for step in steps(image)):
        fail("ci.yml: the image is not built from compose/Dockerfile after the tests")
    if not any("package-resolved" in step for step in steps(image)):
        fail("ci.yml: the image is not built with the versions the tests resolved")
    if re.search(r"(:|value=)latest\b|latest=(true|auto)", (workflows / "ci.yml").read_text()):
        fail("ci.yml: an image is tagged latest")
    for name, job in deploy["jobs"].items():
        if not any("scripts/deploy.sh compose" in step for step in steps(job)):
            fail(f"deploy.yml: {name} does not deploy with scripts/deploy.sh")
    print(f"workflows: ci.yml ({', '.join(ci['jobs'])}), deploy.yml ({', '.join(deploy['jobs'])})")


def main(compose_bin):
    configs = check_compose(compose_bin)
    check_chart()
    check_prometheus()
    check_coverage(configs)
    check_workflows()
    if failures:
        print(f"deployment check: {len(failures)} problem(s)", file=sys.stderr)
        return 1
    print("deployment check: all passed")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(os.path.abspath(sys.argv[1])))
