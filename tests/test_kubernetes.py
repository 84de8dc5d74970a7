"""deploy/kubernetes: each kustomization rendered by kustomize (kubectl's), every object validated
against the Kubernetes OpenAPI schemas (kubernetes-validate, strict: no unknown fields), and the
deployment's shape checked — every subgraph and the router with probes, resources and an autoscaler,
the migration Job, settings that exist, an Ingress to the router only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from subgraphs.registry import SCHEMAS

from .conftest import REPO

KUBERNETES = REPO / "deploy" / "kubernetes"
KUSTOMIZATIONS = ["base", "overlays/staging", "overlays/production"]
KUBERNETES_VERSION = "1.32"  # the oldest release the manifests target (autoscaling/v2 and all else are GA there)

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl (its built-in kustomize)")


def render(kustomization: str) -> list[dict]:
    done = subprocess.run(["kubectl", "kustomize", str(KUBERNETES / kustomization)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def by_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_every_object_is_valid_kubernetes(kustomization: str) -> None:
    objects = render(kustomization)
    for obj in objects:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    broken = {**by_kind(objects, "Deployment")["router"]}
    broken["spec"] = {**broken["spec"], "replicas": "two"}
    with pytest.raises(kubernetes_validate.ValidationError):  # the validator does look inside
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def container(deployment: dict) -> dict:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_every_subgraph_and_the_router_run_with_probes_resources_and_an_autoscaler(kustomization: str) -> None:
    objects = render(kustomization)
    deployments, services = by_kind(objects, "Deployment"), by_kind(objects, "Service")
    autoscalers = {h["spec"]["scaleTargetRef"]["name"]: h for h in by_kind(objects, "HorizontalPodAutoscaler").values()}
    router_urls = by_kind(objects, "ConfigMap")["router-settings"]["data"]
    names = {f"subgraph-{name}": name for name in SCHEMAS} | {"router": None}
    assert set(deployments) == set(names)
    for deployment_name, subgraph in names.items():
        deployment = deployments[deployment_name]
        main = container(deployment)
        probes = {kind: main[kind]["httpGet"]["path"] for kind in ("readinessProbe", "livenessProbe", "startupProbe")}
        if subgraph:
            assert probes == {"readinessProbe": "/ready", "livenessProbe": "/health", "startupProbe": "/health"}
            assert {"name": "SUBGRAPH", "value": subgraph} in main["env"]
            port = main["ports"][0]["containerPort"]
            assert router_urls[f"DINA_SUBGRAPH_URL_{subgraph.upper()}"] == \
                f"http://{deployment_name}:{port}/{subgraph}/graphql"
        else:
            assert probes == {"readinessProbe": "/readiness", "livenessProbe": "/healthcheck", "startupProbe": "/healthcheck"}
        assert {"cpu", "memory"} <= set(main["resources"]["requests"]) and "memory" in main["resources"]["limits"]
        assert main["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"  # drained before SIGTERM
        assert autoscalers[deployment_name]["spec"]["minReplicas"] >= 1
        # its Service selects its pods and only its pods
        (service,) = [s for s in services.values() if s["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]]
        assert service["metadata"]["name"] == deployment_name
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selects = [d for d in deployments.values()
                   if service["spec"]["selector"].items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert selects == [deployment] and service["spec"]["selector"].items() <= labels.items()


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_settings_migration_and_ingress(kustomization: str) -> None:
    objects = render(kustomization)
    config_maps, secrets = by_kind(objects, "ConfigMap"), by_kind(objects, "Secret")
    for workload in [*by_kind(objects, "Deployment").values(), *by_kind(objects, "Job").values()]:
        for source in container(workload).get("envFrom", []):
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in config_maps
            else:
                assert source["secretRef"]["name"] in secrets
    settings = config_maps["dina-settings"]["data"]
    assert settings["DINA_DEV"] == "false" and settings["DINA_STORAGE"] == "s3" and settings["DINA_OIDC_ISSUER"]
    assert "DATABASE_URL" in secrets["dina-secrets"]["stringData"]
    (job,) = by_kind(objects, "Job").values()
    assert container(job)["command"] == ["dina-graph", "migrate"]
    assert container(job)["image"] == container(by_kind(objects, "Deployment")["subgraph-agents"])["image"]
    (ingress,) = by_kind(objects, "Ingress").values()
    backends = {p["path"]: p["backend"]["service"]["name"] for rule in ingress["spec"]["rules"]
                for p in rule["http"]["paths"]}
    assert backends == {"/graphql": "router"}  # never a subgraph, never /metrics


def test_overlays_differ_where_they_should() -> None:
    staging, production = render("overlays/staging"), render("overlays/production")
    assert {o["metadata"]["namespace"] for o in staging} == {"dina-staging"}
    assert {o["metadata"]["namespace"] for o in production} == {"dina"}
    assert all(h["spec"]["minReplicas"] == 3 for h in by_kind(production, "HorizontalPodAutoscaler").values())
    assert by_kind(production, "Ingress")["dina-graph"]["spec"]["tls"][0]["secretName"] == "dina-graph-tls"
    images = {container(d)["image"] for d in by_kind(production, "Deployment").values()}
    assert images == {"registry.example.org/dina-graph/subgraph:0.1.0", "registry.example.org/dina-graph/router:0.1.0"}
    assert by_kind(production, "ConfigMap")["dina-settings"]["data"]["DINA_S3_REGION"] == "eu-north-1"


def test_every_file_is_used() -> None:
    """Each manifest is listed by the kustomization of its folder (a file no one lists is never deployed)."""
    for path in KUBERNETES.rglob("*.yaml"):
        if path.name == "kustomization.yaml":
            continue
        listed = yaml.safe_load((path.parent / "kustomization.yaml").read_text())
        used = set(listed.get("resources", [])) | {p["path"] for p in listed.get("patches", []) if "path" in p}
        assert path.name in used, Path(path).relative_to(REPO)
