// Validates the Kubernetes manifests of deploy/kubernetes (or the directory given as the first argument):
//   1. every file parses as YAML the way Kubernetes reads it (YAML 1.1: yes/no/on/off are booleans there), with no
//      duplicate keys;
//   2. every document is validated against its kind's OpenAPI schema of the Kubernetes API (kubernetes-models);
//   3. no document has a field its kind does not have (the schemas allow any; kubectl's strict field validation does
//      not): each is type-checked as an object literal of its kind's TypeScript interface, whose excess-property
//      check names the unknown field;
//   4. what the deployment relies on holds across the documents: the node name and the Orleans variables come from
//      the downward API, the probes ask /health/ready and /health/live on the HTTP port, the Services' ports are the
//      container's, the PodDisruptionBudget selects the StatefulSet's pods, the Role grants what Orleans' Kubernetes
//      hosting uses, the settings agree with the pod (ports, cluster ids, mounts) and hold no secret, the token and
//      the certificate are root's alone, kustomization.yaml lists every manifest.
// Prints one line per problem, naming the file, the document and the field, and exits 1 if there is any.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] ?? path.join(here, ".."));
const problems = [];
const docs = [];
let kustomization = null;

function where(doc) {
  const o = doc.object ?? {};
  return `${doc.file} document ${doc.index + 1} (${o.kind ?? "?"} ${o.metadata?.name ?? "?"})`;
}

function fail(doc, message) {
  problems.push(doc ? `${where(doc)}: ${message}` : message);
}

// ---- 1. YAML ----

const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.error(`validate: no .yaml files in ${dir}`);
  process.exit(2);
}

for (const file of files) {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const parsed = parseAllDocuments(text, { version: "1.1", uniqueKeys: true, strict: true, prettyErrors: true });
  const list = Array.isArray(parsed) ? parsed : [parsed];
  list.forEach((d, index) => {
    for (const e of [...d.errors, ...d.warnings]) {
      problems.push(`${file} document ${index + 1}: YAML: ${e.message}`);
    }
    if (d.errors.length > 0) return;
    const object = d.toJS({ maxAliasCount: 0 });
    if (object === null || object === undefined) return;
    const doc = { file, index, object };
    if (typeof object !== "object" || Array.isArray(object)) {
      fail(doc, "is not a mapping");
    } else if (object.kind === "Kustomization") {
      kustomization = doc;
    } else {
      docs.push(doc);
    }
  });
}

// ---- 2. the Kubernetes API's schemas ----

const models = new Map();
for (const doc of docs) {
  const { apiVersion, kind } = doc.object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    fail(doc, "has no apiVersion or kind");
    continue;
  }

  let module;
  try {
    module = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    fail(doc, `apiVersion ${apiVersion} is not one the Kubernetes API serves (no schema in kubernetes-models)`);
    continue;
  }

  const Model = module[kind];
  if (typeof Model !== "function" || Model.kind !== kind) {
    fail(doc, `kind ${kind} is not served by ${apiVersion}`);
    continue;
  }

  models.set(doc, { Model, apiVersion, kind });
  try {
    new Model(doc.object).validate();
  } catch (e) {
    const errors = Array.isArray(e.errors) && e.errors.length > 0 ? e.errors : null;
    if (errors) {
      for (const error of errors) {
        fail(doc, `schema: ${error.instancePath || "/"} ${error.message}${error.params?.allowedValues ? ` (${error.params.allowedValues.join(", ")})` : ""}`);
      }
    } else {
      fail(doc, `schema: ${e.message}`);
    }
  }
}

// ---- 3. unknown fields ----

// Pretty-prints a value as a TypeScript object literal, remembering which JSON path each line holds.
function literal(value, pathSoFar, lines, indent) {
  const pad = "  ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const parts = value.map((v, i) => {
      lines.push(`${pathSoFar}/${i}`);
      return `\n${pad}  ${literal(v, `${pathSoFar}/${i}`, lines, indent + 1)}`;
    });
    lines.push(pathSoFar);
    return `[${parts.join(",")}\n${pad}]`;
  }

  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return "{}";
    const parts = keys.map((k) => {
      const p = `${pathSoFar}/${k}`;
      lines.push(p);
      return `\n${pad}  ${JSON.stringify(k)}: ${literal(value[k], p, lines, indent + 1)}`;
    });
    lines.push(pathSoFar);
    return `{${parts.join(",")}\n${pad}}`;
  }

  return JSON.stringify(value);
}

{
  const file = path.join(here, "__manifests__.ts");
  let code = "";
  const lineOwners = [];
  const typed = [...models.entries()];
  typed.forEach(([doc, { apiVersion, kind }], i) => {
    code += `import type { I${kind} as T${i} } from "kubernetes-models/${apiVersion}/${kind}";\n`;
    lineOwners.push(null);
  });
  typed.forEach(([doc, { kind }], i) => {
    const lines = [];
    const text = literal(doc.object, "", lines, 0);
    code += `export const d${i}: T${i} = ${text};\n`;
    // The first line holds the opening brace; each later line is one entry of `lines`, in order.
    lineOwners.push({ doc, path: "" });
    for (const p of lines) lineOwners.push({ doc, path: p });
  });

  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2020,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, code, language) : getSourceFile(name, language, ...rest));
  host.readFile = (name) => (name === file ? code : readFile(name));
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  // 2353: an object literal with a property its type does not have; 2561: the same, with "did you mean".
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file?.fileName !== file) {
      problems.push(`validate: type-checking the manifests failed: ${message}`);
      continue;
    }
    if (d.code !== 2353 && d.code !== 2561) continue;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const owner = lineOwners[line];
    const field = /'"?([^'"]+)"?' does not exist/.exec(message)?.[1] ?? "?";
    const within = /in type '([^']+)'/.exec(message)?.[1];
    if (owner) {
      fail(owner.doc, `unknown field ${owner.path || "/"}${within ? ` (no such field in ${within.replace(/^I(IoK8s\w+?V\d\w*?)?/, "")})` : ""}`);
    } else {
      problems.push(`validate: unknown field ${field}: ${message}`);
    }
  }
}

// ---- 4. what the deployment relies on ----

const byKind = (kind) => docs.filter((d) => d.object.kind === kind);
const named = (kind, name) => byKind(kind).find((d) => d.object.metadata?.name === name);
const noGroupOrOthers = (mode) => typeof mode === "number" && (mode & 0o077) === 0;
const octal = (mode) => `0${(mode ?? 0o644).toString(8)}`;

function selects(selector, labels) {
  return selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

// Every container of every workload has an image: the API server refuses one without, the schema does not.
for (const doc of docs) {
  const spec = doc.object.spec?.template?.spec ?? (doc.object.kind === "Pod" ? doc.object.spec : null);
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    if (typeof c.image !== "string" || c.image.trim() === "") fail(doc, `container ${c.name ?? "?"} has no image`);
  }
}

// Namespaces: one, the kustomization's, on every namespaced document.
const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);
const namespace = kustomization?.object.namespace;
if (!kustomization) {
  problems.push("kustomization.yaml: missing (kubectl apply -k applies the files it lists)");
} else {
  const listed = kustomization.object.resources ?? [];
  const manifests = [...new Set(docs.map((d) => d.file))];
  for (const f of manifests.filter((f) => !listed.includes(f))) problems.push(`${kustomization.file}: resources does not list ${f}`);
  for (const f of listed.filter((f) => !manifests.includes(f))) problems.push(`${kustomization.file}: resources lists ${f}, which is not a manifest here`);
  if (typeof namespace !== "string") problems.push(`${kustomization.file}: sets no namespace`);
}
for (const doc of docs) {
  if (!clusterScoped.has(doc.object.kind) && doc.object.metadata?.namespace !== namespace) {
    fail(doc, `namespace is ${doc.object.metadata?.namespace ?? "unset"}, not the kustomization's ${namespace}`);
  }
}

const statefulSets = byKind("StatefulSet");
if (statefulSets.length !== 1) {
  problems.push(`expected one StatefulSet, found ${statefulSets.length}`);
} else {
  const sts = statefulSets[0];
  const spec = sts.object.spec ?? {};
  const pod = spec.template?.spec ?? {};
  const podLabels = spec.template?.metadata?.labels ?? {};
  const containers = pod.containers ?? [];
  const silo = containers.find((c) => c.name === "silo");
  if (!selects(spec.selector?.matchLabels, podLabels)) fail(sts, "spec.selector.matchLabels does not select the pod template's labels");

  if (!silo) {
    fail(sts, "has no container named silo");
  } else {
    const env = new Map((silo.env ?? []).map((e) => [e.name, e]));
    const fromField = (name, fieldPath) => {
      const e = env.get(name);
      if (e?.valueFrom?.fieldRef?.fieldPath !== fieldPath) {
        fail(sts, `container silo: env ${name} must come from the downward API, fieldRef.fieldPath ${fieldPath} (it is ${e ? JSON.stringify(e.valueFrom ?? e.value) : "unset"})`);
      }
    };
    // The node is named after the pod, and Orleans' Kubernetes hosting names the silo after POD_NAME: both the pod's name.
    fromField("Linkis__Node__Name", "metadata.name");
    fromField("POD_NAME", "metadata.name");
    fromField("POD_NAMESPACE", "metadata.namespace");
    fromField("POD_IP", "status.podIP");

    const ports = silo.ports ?? [];
    const portNamed = (name) => ports.find((p) => p.name === name);
    const resolve = (target) => (typeof target === "number" ? ports.find((p) => p.containerPort === target) : portNamed(target));
    for (const name of ["http", "silo", "gateway"]) {
      if (!portNamed(name)) fail(sts, `container silo: no container port named ${name}`);
    }

    const http = portNamed("http");
    for (const [probe, expected] of [["readinessProbe", "/health/ready"], ["livenessProbe", "/health/live"], ["startupProbe", "/health/live"]]) {
      const get = silo[probe]?.httpGet;
      if (!silo[probe]) {
        if (probe !== "startupProbe") fail(sts, `container silo: no ${probe}`);
        continue;
      }
      if (get?.path !== expected) fail(sts, `container silo: ${probe} must ask ${expected} (it asks ${get?.path ?? "no HTTP path"})`);
      const port = get ? resolve(get.port) : undefined;
      if (!http || port?.containerPort !== http.containerPort) fail(sts, `container silo: ${probe} must ask the HTTP port ${http?.containerPort ?? "?"} (it asks ${get?.port ?? "none"})`);
      if ((get?.scheme ?? "HTTP") !== "HTTP") fail(sts, `container silo: ${probe} must be plain HTTP, as the silo serves it`);
    }

    // Engines run as their users, which needs root.
    if (silo.securityContext?.runAsUser !== 0 || silo.securityContext?.runAsNonRoot === true) {
      fail(sts, "container silo: must run as root (securityContext.runAsUser 0): engines are started as their users through setpriv");
    }
    if ((pod.terminationGracePeriodSeconds ?? 30) < 30) fail(sts, "terminationGracePeriodSeconds is below 30: the silo needs time to leave the cluster and stop its engines");

    // Volumes and mounts.
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    const mounts = silo.volumeMounts ?? [];
    for (const m of mounts) if (!volumes.has(m.name)) fail(sts, `container silo: mounts volume ${m.name}, which the pod does not have`);
    const mountAt = (p) => mounts.find((m) => m.mountPath === p);

    // The service-account token: root's alone, since engines run in this container as other users.
    if (pod.automountServiceAccountToken !== false) fail(sts, "automountServiceAccountToken must be false: the automatic token is readable by every user in the container (0644); project it root-only instead");
    const tokenMount = mountAt("/var/run/secrets/kubernetes.io/serviceaccount");
    const tokenVolume = tokenMount && volumes.get(tokenMount.name);
    const tokenSource = tokenVolume?.projected?.sources?.find((s) => s.serviceAccountToken);
    if (!tokenSource || tokenSource.serviceAccountToken.path !== "token") {
      fail(sts, "container silo: no projected service-account token at /var/run/secrets/kubernetes.io/serviceaccount/token, where Orleans' in-cluster client reads it");
    } else if (!noGroupOrOthers(tokenVolume.projected.defaultMode)) {
      fail(sts, `the projected service-account token's mode is ${octal(tokenVolume.projected.defaultMode)}: every engine's user could read it; make it 0400 (defaultMode 256)`);
    }
    const serviceAccount = named("ServiceAccount", pod.serviceAccountName);
    if (!serviceAccount) fail(sts, `serviceAccountName ${pod.serviceAccountName ?? "(default)"} is not a ServiceAccount here`);

    // RBAC: exactly the pod rights Orleans' Kubernetes hosting uses.
    const bindings = byKind("RoleBinding").filter((b) => (b.object.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === pod.serviceAccountName && (s.namespace ?? namespace) === namespace));
    if (bindings.length !== 1) {
      fail(sts, `expected one RoleBinding for the ServiceAccount ${pod.serviceAccountName}, found ${bindings.length}`);
    } else {
      const ref = bindings[0].object.roleRef;
      const role = ref?.kind === "Role" ? named("Role", ref.name) : undefined;
      if (!role) {
        fail(bindings[0], `roleRef ${ref?.kind} ${ref?.name} is not a Role here`);
      } else {
        const granted = new Set();
        for (const rule of role.object.rules ?? []) {
          for (const g of rule.apiGroups ?? []) for (const r of rule.resources ?? []) for (const v of rule.verbs ?? []) granted.add(`${g}/${r}:${v}`);
        }
        const needed = ["/pods:get", "/pods:list", "/pods:watch", "/pods:patch"];
        const missing = needed.filter((n) => !granted.has(n));
        const extra = [...granted].filter((g) => !needed.includes(g));
        if (missing.length > 0) fail(role, `does not grant ${missing.join(", ")}, which Orleans' Kubernetes hosting uses`);
        if (extra.length > 0) fail(role, `grants ${extra.join(", ")}, which Orleans' Kubernetes hosting does not use`);
      }
    }

    // The settings: the ConfigMap file mounted beside the silo.
    const settingsMount = mountAt("/opt/linkis/appsettings.Production.json");
    const settingsVolume = settingsMount && volumes.get(settingsMount.name);
    const configMap = settingsVolume?.configMap && named("ConfigMap", settingsVolume.configMap.name);
    const settingsText = configMap?.object.data?.[settingsMount?.subPath];
    let settings = null;
    if (!settingsMount?.subPath || !configMap) {
      fail(sts, "container silo: /opt/linkis/appsettings.Production.json is not a key of a ConfigMap here (a subPath mount)");
    } else if (typeof settingsText !== "string") {
      fail(configMap, `has no key ${settingsMount.subPath}`);
    } else {
      try {
        settings = JSON.parse(settingsText);
      } catch (e) {
        fail(configMap, `${settingsMount.subPath} is not JSON: ${e.message}`);
      }
    }

    if (settings) {
      const cm = configMap;
      const key = settingsMount.subPath;
      const orleans = settings.Orleans ?? {};
      const linkis = settings.Linkis ?? {};
      if (linkis.Cluster?.Kubernetes !== true) fail(cm, `${key}: Linkis:Cluster:Kubernetes must be true (Orleans' Kubernetes hosting)`);
      if (linkis.Storage !== "PostgreSql") fail(cm, `${key}: Linkis:Storage must be PostgreSql: silos in pods find each other through the membership table`);
      if (linkis.Node?.Name !== undefined) fail(cm, `${key}: Linkis:Node:Name must not be set: each pod's node is named after the pod`);

      const urlPort = /^https?:\/\/[^/]*:(\d+)/.exec(settings.Urls ?? "")?.[1];
      if (Number(urlPort) !== http?.containerPort) fail(cm, `${key}: Urls (${settings.Urls}) does not listen on the container's http port ${http?.containerPort}`);
      if (!/^https?:\/\/(0\.0\.0\.0|\*|\+|\[::\]):/.test(settings.Urls ?? "")) fail(cm, `${key}: Urls (${settings.Urls}) must listen on every address, or the kubelet's probes and the Services cannot reach it`);
      for (const [setting, portName, fallback] of [["SiloPort", "silo", 11111], ["GatewayPort", "gateway", 30000]]) {
        if ((orleans[setting] ?? fallback) !== portNamed(portName)?.containerPort) {
          fail(cm, `${key}: Orleans:${setting} is ${orleans[setting] ?? fallback}, the container's ${portName} port ${portNamed(portName)?.containerPort}`);
        }
      }
      for (const [setting, label] of [["ClusterId", "orleans/clusterId"], ["ServiceId", "orleans/serviceId"]]) {
        if (podLabels[label] !== orleans[setting]) {
          fail(sts, `pod label ${label} is ${podLabels[label] ?? "unset"}, but ${cm.object.metadata.name}'s Orleans:${setting} is ${orleans[setting] ?? "unset"}: Orleans' Kubernetes hosting watches the pods labelled with its ids`);
        }
        if (env.has(setting === "ClusterId" ? "ORLEANS_CLUSTER_ID" : "ORLEANS_SERVICE_ID")) {
          fail(sts, `container silo: env ${setting === "ClusterId" ? "ORLEANS_CLUSTER_ID" : "ORLEANS_SERVICE_ID"} is set: set Orleans:${setting} in the ConfigMap only`);
        }
      }

      const workRoot = linkis.Node?.WorkRoot;
      const workMount = workRoot && mountAt(workRoot);
      if (!workMount || !(volumes.get(workMount.name)?.emptyDir || volumes.get(workMount.name)?.persistentVolumeClaim || (spec.volumeClaimTemplates ?? []).some((t) => t.metadata?.name === workMount.name))) {
        fail(cm, `${key}: Linkis:Node:WorkRoot (${workRoot ?? "unset"}) is not a writable volume of the silo container`);
      }

      const certificate = linkis.Cluster?.Tls?.CertificatePath;
      if (linkis.Node?.RunAsRequestingUser !== false && !certificate && linkis.Cluster?.AllowPlaintext !== true) {
        fail(cm, `${key}: Linkis:Cluster:Tls:CertificatePath is not set, yet engines run as their users: the silo would not start`);
      }
      if (certificate) {
        const mount = mounts.find((m) => certificate.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
        const volume = mount && volumes.get(mount.name);
        const secret = volume?.secret && named("Secret", volume.secret.secretName);
        const item = mount && certificate.slice(mount.mountPath.replace(/\/$/, "").length + 1);
        if (!secret) {
          fail(cm, `${key}: Linkis:Cluster:Tls:CertificatePath (${certificate}) is not in a Secret volume of the silo container`);
        } else {
          if (!Object.hasOwn(secret.object.data ?? {}, item) && !Object.hasOwn(secret.object.stringData ?? {}, item)) fail(secret, `has no key ${item}, which Linkis:Cluster:Tls:CertificatePath names`);
          if (!noGroupOrOthers(volume.secret.defaultMode)) fail(sts, `volume ${volume.name}: mode ${octal(volume.secret.defaultMode)}; the silo refuses a certificate its group or others may read (defaultMode 256 = 0400)`);
        }
      }

      // Secrets belong in the Secret.
      const secretish = /^(ConnectionStrings|.*Password|Hash|SigningKey)$/i;
      const walk = (value, at) => {
        if (value && typeof value === "object") {
          for (const [k, v] of Object.entries(value)) {
            if (secretish.test(k)) fail(cm, `${key}: ${at}${k} is a secret: put it in the Secret`);
            walk(v, `${at}${k}:`);
          }
        }
      };
      walk(settings, "");
    }

    // The Secrets the container takes its variables from.
    for (const from of silo.envFrom ?? []) {
      if (!from.secretRef) continue;
      const secret = named("Secret", from.secretRef.name);
      if (!secret) {
        fail(sts, `container silo: envFrom names the Secret ${from.secretRef.name}, which is not here`);
        continue;
      }
      for (const k of [...Object.keys(secret.object.stringData ?? {}), ...Object.keys(secret.object.data ?? {})]) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) fail(secret, `key ${k} is not an environment variable's name (envFrom would skip it)`);
      }
    }
    const envSecrets = (silo.envFrom ?? []).map((f) => f.secretRef && named("Secret", f.secretRef.name)).filter(Boolean);
    if (!envSecrets.some((s) => Object.hasOwn(s.object.stringData ?? {}, "ConnectionStrings__linkis") || Object.hasOwn(s.object.data ?? {}, "ConnectionStrings__linkis"))) {
      fail(sts, "container silo: no Secret of its envFrom holds ConnectionStrings__linkis");
    }

    // The Services: each selects these pods, and each port is a port of the container, by the same number.
    const services = byKind("Service");
    const headless = named("Service", spec.serviceName);
    if (!headless || headless.object.spec?.clusterIP !== "None") fail(sts, `serviceName ${spec.serviceName} is not a headless Service here (clusterIP: None)`);
    for (const [name, portName] of [["HTTP", "http"], ["gateway", "gateway"]]) {
      if (!services.some((s) => s !== headless && (s.object.spec?.ports ?? []).some((p) => resolve(p.targetPort ?? p.port)?.name === portName))) {
        fail(sts, `no Service (besides the headless one) exposes the ${name} port`);
      }
    }
    for (const service of services) {
      if (!selects(service.object.spec?.selector, podLabels)) fail(service, "spec.selector does not select the StatefulSet's pods");
      for (const p of service.object.spec?.ports ?? []) {
        const target = resolve(p.targetPort ?? p.port);
        if (!target) fail(service, `port ${p.name ?? p.port}: targetPort ${p.targetPort ?? p.port} is not a port of the silo container`);
        else if (target.containerPort !== p.port) fail(service, `port ${p.name ?? p.port}: port ${p.port} is not the container's ${target.name} port ${target.containerPort}`);
      }
    }

    // The PodDisruptionBudget: one silo away at a time, these pods.
    const budgets = byKind("PodDisruptionBudget");
    if (budgets.length !== 1) fail(sts, `expected one PodDisruptionBudget, found ${budgets.length}`);
    for (const pdb of budgets) {
      if (!selects(pdb.object.spec?.selector?.matchLabels, podLabels)) fail(pdb, "spec.selector does not select the StatefulSet's pods");
      if (pdb.object.spec?.maxUnavailable !== 1) fail(pdb, `maxUnavailable is ${pdb.object.spec?.maxUnavailable ?? "unset"}, not 1`);
    }

    // A privileged container needs a namespace that admits it.
    if (containers.some((c) => c.securityContext?.privileged === true)) {
      const ns = named("Namespace", namespace);
      if (!ns) fail(sts, `the namespace ${namespace} is not defined here`);
      else if (ns.object.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !== "privileged") {
        fail(ns, "pod-security.kubernetes.io/enforce must be privileged: the silo container is privileged, which the baseline and restricted levels refuse");
      }
    }
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`validate: ${problems.length} problem(s) in ${dir}`);
  process.exit(1);
}

const version = JSON.parse(fs.readFileSync(path.join(here, "node_modules", "kubernetes-models", "package.json"), "utf8")).version;
console.log(`validate: ${docs.length} documents in ${files.length} files of ${dir} are valid (kubernetes-models ${version})`);
