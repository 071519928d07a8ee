// Offline validation of deploy/: every manifest under deploy/kubernetes against the Kubernetes
// schemas (kubernetes-models: the official OpenAPI definitions as JSON Schema; KEDA and
// prometheus-operator models for their CRDs), unknown fields against the API types of
// @kubernetes/client-node (a typo such as `resorces:` is an error, not a silently dropped field),
// then what must hold between the objects, the pods' warren.ini (read by the real warren binary)
// and the Dockerfile. No network. Prints one line per check group; exits 1 on any error.
//
//   node deploy/validate.mjs            WARREN_BIN (default build/bin/warren) and
//                                        WARREN_PLUGIN_DIR (default build/lib/warren/plugins)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as k8s from "@kubernetes/client-node";
import { parseAllDocuments, parse as parseYaml } from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const manifestsDir = path.join(here, "kubernetes");
const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

// ---- schemas ----------------------------------------------------------------------------------

const models = {
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
  "keda.sh/v1alpha1/ScaledObject": "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject",
  "monitoring.coreos.com/v1/PodMonitor":
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor",
};

async function schemaCheck(where, object) {
  const key = `${object.apiVersion}/${object.kind}`;
  if (!models[key]) {
    fail(where, `${key} is not a kind this validator knows; add its model to deploy/validate.mjs`);
    return;
  }
  const module = await import(models[key]);
  try {
    new module[object.kind](object).validate();
  } catch (e) {
    fail(where, `${key} does not match its schema: ${e.message}`);
  }
}

// Unknown fields, walked along client-node's attribute type maps (core API groups only).
function apiClass(object) {
  const version = object.apiVersion.split("/").pop();
  return k8s[version.charAt(0).toUpperCase() + version.slice(1) + object.kind];
}

function unknownFields(where, value, type, at) {
  if (value === null || value === undefined) return;
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(where, v, m[1], `${at}[${i}]`));
    return;
  }
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
    for (const [k, v] of Object.entries(value)) unknownFields(where, v, m[1], `${at}.${k}`);
    return;
  }
  const cls = k8s[type];
  if (!cls || typeof cls.getAttributeTypeMap !== "function" || typeof value !== "object") return;
  const known = new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!known.has(k)) fail(where, `${at}.${k}: unknown field of ${type}`);
    else unknownFields(where, v, known.get(k), `${at}.${k}`);
  }
}

// ---- reading --------------------------------------------------------------------------------

function yamlFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? yamlFiles(path.join(dir, e.name))
        : e.name.endsWith(".yaml")
          ? [path.join(dir, e.name)]
          : [],
    )
    .sort();
}

const objects = [];  // {file, object}
let kustomization = null;
for (const file of yamlFiles(manifestsDir)) {
  const rel = path.relative(root, file);
  const docs = parseAllDocuments(fs.readFileSync(file, "utf8"), { uniqueKeys: true });
  for (const doc of docs) {
    for (const e of [...doc.errors, ...doc.warnings]) fail(rel, `YAML: ${e.message}`);
    const object = doc.toJS();
    if (object === null) continue;
    if (object.kind === "Kustomization") kustomization = { file, object };
    else objects.push({ file: rel, object });
  }
}
if (errors.length) finish();

for (const { file, object } of objects) {
  const where = `${file} ${object.kind}/${object.metadata?.name}`;
  await schemaCheck(where, object);
  const cls = apiClass(object);
  if (cls) unknownFields(where, object, cls.name, object.kind);
}
console.log(`schemas: ${objects.length} objects in ${yamlFiles(manifestsDir).length} files`);

// ---- what must hold between them --------------------------------------------------------------

const find = (kind, name) =>
  objects.find((o) => o.object.kind === kind && (!name || o.object.metadata.name === name));
const only = (kind) => {
  const found = objects.filter((o) => o.object.kind === kind);
  if (found.length !== 1) fail("deploy/kubernetes", `expected one ${kind}, found ${found.length}`);
  return found[0]?.object;
};
const matches = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
const check = (ok, where, message) => {
  if (!ok) fail(where, message);
};

// Kustomization: the base holds every top-level manifest (monitoring/ and keda/ are applied
// apart on purpose).
check(kustomization, "deploy/kubernetes", "no kustomization.yaml");
if (kustomization) {
  const listed = new Set(kustomization.object.resources ?? []);
  const topLevel = fs
    .readdirSync(manifestsDir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
  for (const f of topLevel) check(listed.has(f), "kustomization.yaml", `does not list ${f}`);
  for (const f of listed) {
    check(fs.existsSync(path.join(manifestsDir, f)), "kustomization.yaml", `lists missing ${f}`);
  }
}

const namespace = only("Namespace")?.metadata.name;
for (const { file, object } of objects) {
  if (object.kind === "Namespace" || object.metadata.namespace === "monitoring") continue;
  check(object.metadata.namespace === namespace, file, `namespace is not ${namespace}`);
}

const deployment = only("Deployment");
const pod = deployment?.spec.template;
const warren = pod?.spec.containers.find((c) => c.name === "warren");
const where = "deployment.yaml";
check(warren, where, "no container named warren");
if (deployment && warren) {
  check(matches(deployment.spec.selector, pod.metadata.labels), where, "selector misses the pod labels");
  const rolling = deployment.spec.strategy?.rollingUpdate ?? {};
  check(deployment.spec.strategy?.type === "RollingUpdate" && rolling.maxSurge === 1 &&
          rolling.maxUnavailable === 0, where, "not RollingUpdate with maxSurge 1, maxUnavailable 0");
  const r = warren.resources ?? {};
  check(r.requests?.cpu === "500m" && r.requests?.memory === "512Mi", where,
        `requests are ${JSON.stringify(r.requests)}, expected 500m/512Mi`);
  check(r.limits?.cpu === "2000m" && r.limits?.memory === "2Gi", where,
        `limits are ${JSON.stringify(r.limits)}, expected 2000m/2Gi`);
  const port = warren.ports?.find((p) => p.name === "http");
  check(port, where, "the warren container has no port named http");
  check(warren.readinessProbe?.httpGet?.path === "/ready" && warren.readinessProbe.httpGet.port === "http",
        where, "readiness is not GET /ready on port http");
  check(warren.livenessProbe?.httpGet?.path === "/health" && warren.livenessProbe.httpGet.port === "http",
        where, "liveness is not GET /health on port http");
  const preStop = warren.lifecycle?.preStop?.exec?.command ?? [];
  check(preStop[0] === "warren" && preStop[1] === "drain", where, "preStop is not `warren drain`");
  const drainS = Number(preStop[preStop.indexOf("--timeout") + 1] ?? NaN);
  check(Number.isInteger(drainS), where, "preStop's warren drain has no --timeout S");
  const selector = pod.spec.nodeSelector ?? {};
  check(Object.keys(selector).some((k) => /spot/.test(k)), where, "no spot nodeSelector");
  for (const key of Object.keys(selector).filter((k) => /spot/.test(k))) {
    check((pod.spec.tolerations ?? []).some((t) => t.key === key), where,
          `no toleration for the spot taint ${key}`);
  }
  check(pod.spec.securityContext?.runAsNonRoot === true, where, "pods may run as root");
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const m of c.volumeMounts ?? []) {
      check(volumes.has(m.name), where, `${c.name} mounts undeclared volume ${m.name}`);
    }
  }
  const configVolume = [...volumes.values()].find((v) => v.configMap);
  const configMap = configVolume && find("ConfigMap", configVolume.configMap.name)?.object;
  check(configMap?.data?.["warren.ini"], where, "the config volume's ConfigMap has no warren.ini");
  for (const from of warren.envFrom ?? []) {
    check(find("Secret", from.secretRef?.name), where, `envFrom names missing Secret ${from.secretRef?.name}`);
  }
  if (configMap?.data?.["warren.ini"]) {
    checkWarrenIni(configMap.data["warren.ini"], { deployment, pod, warren, port, drainS, volumes });
  }
}

// The pods' warren.ini as warren reads it, and what the Deployment must agree with.
function checkWarrenIni(ini, { deployment, pod, warren, port, drainS, volumes }) {
  const bin = process.env.WARREN_BIN ?? path.join(root, "build/bin/warren");
  const pluginDir = process.env.WARREN_PLUGIN_DIR ?? path.join(root, "build/lib/warren/plugins");
  const where = "configmap.yaml warren.ini";
  if (!fs.existsSync(bin)) {
    fail(where, `${bin} not found: build warren first (or set WARREN_BIN)`);
    return;
  }
  const values = parseIni(ini);
  const queues = Object.keys(values).filter((k) => k.startsWith("queue.") && k.endsWith(".plugin"))
    .map((k) => k.slice("queue.".length, -".plugin".length));
  check(queues.length > 0, where, "serves no queue");

  // The environment the container gets: env values, the Secret's keys (envFrom).
  const env = { PATH: process.env.PATH };
  for (const from of warren.envFrom ?? []) {
    const secret = find("Secret", from.secretRef.name)?.object;
    for (const [k, v] of Object.entries({ ...(secret?.stringData ?? {}) })) env[k] = v;
    for (const k of Object.keys(secret?.data ?? {})) env[k] = "x";
  }
  for (const e of warren.env ?? []) env[e.name] = e.value ?? (e.valueFrom?.fieldRef ? "warren-pod-0" : "x");
  const help = execFileSync(bin, ["--help"], { encoding: "utf8" });
  const known = new Set([...help.matchAll(/\(([A-Z][A-Z0-9_]+)\)/g)].map((m) => m[1]));
  for (const name of Object.keys(env)) {
    check(name === "PATH" || known.has(name), where, `the pod sets ${name}, which warren does not read`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "warren-validate-"));
  try {
    fs.writeFileSync(path.join(dir, "warren.ini"), ini);
    execFileSync(bin, ["plugins", "list", "--config", path.join(dir, "warren.ini"),
                       "--set", `node.plugin_dir=${pluginDir}`],
                 { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    fail(where, `warren refuses it (exit ${e.status}): ${(e.stderr ?? e.message).trim()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const shutdownS = Number(values["node.shutdown_timeout_ms"] ?? 30000) / 1000;
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  check(grace > drainS + shutdownS + 10, "deployment.yaml",
        `terminationGracePeriodSeconds ${grace} is not above preStop's ${drainS} s + ` +
        `shutdown_timeout_ms ${shutdownS} s + 10 s`);
  check(Number(values["http.port"]) === port?.containerPort, "deployment.yaml",
        `containerPort ${port?.containerPort} is not warren.ini's http.port ${values["http.port"]}`);
  check(values["http.host"] === "0.0.0.0", where, "http.host must be 0.0.0.0 for the probes");
  const mountOf = (volume) => warren.volumeMounts?.find((m) => m.name === volume)?.mountPath;
  const pluginVolume = [...volumes.values()].find((v) => mountOf(v.name) === values["node.plugin_dir"]);
  check(pluginVolume, "deployment.yaml", `node.plugin_dir ${values["node.plugin_dir"]} is not a volume`);
  check(mountOf("config") === "/etc/warren", "deployment.yaml", "warren.ini is not in /etc/warren");
  const sidecar = (pod.spec.initContainers ?? []).find((c) =>
    c.volumeMounts?.some((m) => m.name === pluginVolume?.name));
  check(sidecar?.restartPolicy === "Always" && sidecar.command?.[0] === "/usr/lib/warren/plugin-sync",
        "deployment.yaml", "no plugin-sync sidecar fills the plugin volume");
  check(mountOf("data") === values["node.data_dir"], "deployment.yaml", "node.data_dir is not the data volume");

  checkAutoscalers(queues, deployment);
}

// Poco's INI as warren reads it: [section] + key = value; whole-line ";" comments.
function parseIni(text) {
  const values = {};
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith(";")) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) section = s[1];
    else {
      const eq = line.indexOf("=");
      values[`${section}.${line.slice(0, eq).trim()}`] = line.slice(eq + 1).trim();
    }
  }
  return values;
}

// The HPA and KEDA scale on each served queue's depth, with the same targets.
function checkAutoscalers(queues, deployment) {
  const hpa = only("HorizontalPodAutoscaler");
  const keda = only("ScaledObject");
  const targetsDeployment = (ref) => ref?.kind !== "Deployment" || ref.name === deployment.metadata.name;
  check(hpa && hpa.spec.scaleTargetRef.kind === "Deployment" && targetsDeployment(hpa.spec.scaleTargetRef),
        "hpa.yaml", "does not scale the warren Deployment");
  check(keda && targetsDeployment({ kind: "Deployment", ...keda.spec.scaleTargetRef }),
        "keda/scaledobject.yaml", "does not scale the warren Deployment");
  check(hpa?.spec.minReplicas >= 2 && keda?.spec.minReplicaCount >= 2, "hpa.yaml",
        "fewer than 2 replicas allowed (high availability)");
  check(hpa?.spec.maxReplicas === keda?.spec.maxReplicaCount, "keda/scaledobject.yaml",
        "maxReplicaCount differs from the HPA's maxReplicas");
  const hpaTargets = new Map();
  for (const m of hpa?.spec.metrics ?? []) {
    if (m.type !== "External" || m.external.metric.name !== "bullmq_queue_depth") continue;
    check(m.external.target.type === "AverageValue", "hpa.yaml", "queue depth target is not per pod");
    hpaTargets.set(m.external.metric.selector?.matchLabels?.queue, m.external.target.averageValue);
  }
  const kedaTargets = new Map();
  for (const t of keda?.spec.triggers ?? []) {
    if (t.type !== "prometheus") continue;
    const q = /bullmq_queue_depth\{namespace="([^"]+)",queue="([^"]+)"\}/.exec(t.metadata.query);
    check(q && q[1] === namespace, "keda/scaledobject.yaml", `query ${t.metadata.query} is not namespace ${namespace}'s depth`);
    if (q) kedaTargets.set(q[2], t.metadata.threshold);
  }
  for (const queue of queues) {
    check(hpaTargets.has(queue), "hpa.yaml", `no bullmq_queue_depth metric for queue ${queue}`);
    check(kedaTargets.get(queue) === hpaTargets.get(queue), "keda/scaledobject.yaml",
          `queue ${queue}: threshold ${kedaTargets.get(queue)} is not the HPA's ${hpaTargets.get(queue)}`);
  }
  for (const q of [...hpaTargets.keys(), ...kedaTargets.keys()]) {
    check(queues.includes(q), "autoscaling", `scales on queue ${q}, which warren.ini does not serve`);
  }
}

const pdb = only("PodDisruptionBudget");
check(pdb && matches(pdb.spec.selector, pod?.metadata.labels), "pdb.yaml", "selector misses the pods");
const monitor = only("PodMonitor");
check(monitor && matches(monitor.spec.selector, pod?.metadata.labels), "monitoring/podmonitor.yaml",
      "selector misses the pods");
check(monitor?.spec.podMetricsEndpoints?.every((e) => e.port === "http" && e.path === "/metrics"),
      "monitoring/podmonitor.yaml", "does not scrape port http /metrics");
const adapter = find("ConfigMap", "prometheus-adapter")?.object;
const rules = adapter ? parseYaml(adapter.data["config.yaml"]) : null;
check(rules?.externalRules?.some((r) => r.name?.as === "bullmq_queue_depth" &&
        /bullmq_queue_depth/.test(r.seriesQuery) && /by \(queue\)/.test(r.metricsQuery)),
      "monitoring/prometheus-adapter.yaml", "no external rule serving bullmq_queue_depth by queue");
console.log(`consistency: Deployment, warren.ini (via ${path.basename(process.env.WARREN_BIN ?? "build/bin/warren")}), PDB, HPA, KEDA, PodMonitor, adapter rule`);

// ---- the Dockerfile: the image cannot be built here, so its steps must be CI's scripts ---------
{
  const where = "Dockerfile";
  const text = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
  const froms = [...text.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  check(froms.length >= 2 && froms.every((f) => /^debian:(12|bookworm)/.test(f)), where,
        `expected a multi-stage build on debian:12, got FROM ${froms.join(", ")}`);
  for (const script of ["scripts/install-deps.sh", "scripts/build.sh", "scripts/package.sh"]) {
    check(text.includes(`bash ${script}`), where, `does not run ${script} as CI does`);
    check(fs.existsSync(path.join(root, script)), where, `${script} does not exist`);
  }
  check(/apt-get install[^\n]*\.\/warren_\*_amd64\.deb|apt-get install[^\n]*warren_[^\s]*\.deb/.test(text),
        where, "the runtime stage does not install the .deb");
  const user = /^USER\s+(\d+)(?::(\d+))?\s*$/m.exec(text);
  check(user && user[1] !== "0", where, "no numeric non-root USER");
  check(user && Number(user[1]) === pod?.spec.securityContext?.runAsUser, where,
        `USER ${user?.[1]} is not the Deployment's runAsUser ${pod?.spec.securityContext?.runAsUser}`);
  check(/^HEALTHCHECK[\s\S]*?\/health/m.test(text), where, "no HEALTHCHECK on /health");
  check(fs.existsSync(path.join(root, ".dockerignore")), where, "no .dockerignore (build trees)");
  console.log("Dockerfile: multi-stage debian:12, CI's scripts, the .deb, numeric non-root USER, HEALTHCHECK");
}

finish();

function finish() {
  if (errors.length) {
    for (const e of errors) console.error(`error: ${e}`);
    console.error(`deploy/validate: ${errors.length} error(s)`);
    process.exit(1);
  }
  console.log("deploy/validate: all manifests valid");
  process.exit(0);
}
