{{/* Names and labels, after `helm create`: names are truncated to 63 characters (DNS labels). */}}
{{- define "kube-mcp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kube-mcp.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kube-mcp.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kube-mcp.labels" -}}
helm.sh/chart: {{ include "kube-mcp.chart" . }}
{{ include "kube-mcp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "kube-mcp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kube-mcp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kube-mcp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kube-mcp.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kube-mcp.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The label a pod needs to pass the NetworkPolicy from inside the release namespace. */}}
{{- define "kube-mcp.clientLabel" -}}
{{- printf "%s-client" (include "kube-mcp.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Server mode from the RBAC variant: "true" when only read tools may be registered. */}}
{{- define "kube-mcp.readOnlyMode" -}}
{{- if and (eq .Values.rbac.variant "readonly") (not .Values.server.testOnlyAllowWriteTools) }}true{{ else }}false{{ end }}
{{- end }}

{{/* Where the static token Secret is mounted; the server re-reads the file when it changes. */}}
{{- define "kube-mcp.staticTokenDir" -}}
/var/run/secrets/kube-mcp/static-token
{{- end }}

{{/*
Cross-field checks the schema cannot express; each fails with one sentence naming the value.
*/}}
{{- define "kube-mcp.validate" -}}
{{- $r := .Values.rbac }}
{{- if and $r.clusterAdmin (ne $r.variant "admin") }}
{{- fail "rbac.clusterAdmin needs rbac.variant: admin" }}
{{- end }}
{{- if and $r.clusterAdmin (not $r.readSecrets) }}
{{- fail "rbac.clusterAdmin grants everything, Secrets included: set rbac.readSecrets: true as well to acknowledge it" }}
{{- end }}
{{- if and $r.createTools (ne $r.variant "admin") }}
{{- fail "rbac.createTools needs rbac.variant: admin" }}
{{- end }}
{{- if and (eq $r.scope "namespaces") (not $r.namespaces) }}
{{- fail "rbac.scope: namespaces needs at least one entry in rbac.namespaces" }}
{{- end }}
{{- if and .Values.server.nonDestructive (ne $r.variant "admin") }}
{{- fail "server.nonDestructive only applies to rbac.variant: admin (the readonly variant has no destructive tools)" }}
{{- end }}
{{- if ge (float64 .Values.server.drainSeconds) (float64 .Values.terminationGracePeriodSeconds) }}
{{- fail "server.drainSeconds must be below terminationGracePeriodSeconds, or Kubernetes kills the pod mid-drain" }}
{{- end }}
{{- end }}

{{/*
RBAC rules. A rule exists only because a tool needs it (see docs in the chart README).
"kube-mcp.namespacedRules" hold what a Role can grant; "kube-mcp.clusterRules" what only a ClusterRole can.
*/}}
{{- define "kube-mcp.readVerbs" -}}
["get", "list", "watch"]
{{- end }}

{{- define "kube-mcp.namespacedRules" -}}
{{- $read := include "kube-mcp.readVerbs" . }}
{{- $r := .Values.rbac }}
{{- if $r.clusterAdmin }}
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
{{- else }}
# Read tools: workloads, their logs, services, config (no Secrets), events.
- apiGroups: [""]
  resources: ["pods", "pods/log", "services", "endpoints", "configmaps", "events"]
  verbs: {{ $read }}
- apiGroups: ["apps"]
  resources: ["deployments", "replicasets", "statefulsets", "daemonsets"]
  verbs: {{ $read }}
- apiGroups: ["batch"]
  resources: ["jobs", "cronjobs"]
  verbs: {{ $read }}
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: {{ $read }}
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: {{ $read }}
# Resource usage (top-style reads) from metrics-server, when it is installed.
- apiGroups: ["metrics.k8s.io"]
  resources: ["pods"]
  verbs: ["get", "list"]
{{- if $r.readSecrets }}
# rbac.readSecrets: true. The server still never returns Secret values.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: {{ $read }}
{{- end }}
{{- range $r.extraReadRules }}
# rbac.extraReadRules
- apiGroups: {{ toJson .apiGroups }}
  resources: {{ toJson .resources }}
  {{- with .resourceNames }}
  resourceNames: {{ toJson . }}
  {{- end }}
  verbs: {{ $read }}
{{- end }}
{{- if eq $r.variant "admin" }}
# admin variant: exactly the verbs of delete_pod, scale_deployment, delete_deployment, delete_cronjob.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["delete"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["patch", "update", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments/scale"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["delete"]
{{- if $r.createTools }}
# rbac.createTools: the seed's create_* and update_* tools, and delete_service/delete_configmap.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["create", "update", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["create"]
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["create"]
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kube-mcp.clusterRules" -}}
{{- $read := include "kube-mcp.readVerbs" . }}
{{- $r := .Values.rbac }}
{{- if $r.clusterAdmin }}
- nonResourceURLs: ["*"]
  verbs: ["*"]
{{- else }}
{{- if eq $r.scope "cluster" }}
# Cluster-scoped reads: list_namespaces, list_nodes, describe_node, custom resource discovery.
- apiGroups: [""]
  resources: ["namespaces", "nodes"]
  verbs: {{ $read }}
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  verbs: {{ $read }}
- apiGroups: ["metrics.k8s.io"]
  resources: ["nodes"]
  verbs: ["get", "list"]
{{- if eq $r.variant "admin" }}
# admin variant: create_namespace, delete_namespace.
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["create", "delete"]
{{- end }}
{{- end }}
{{- if .Values.auth.kubernetesTokens.enabled }}
# auth.kubernetesTokens: verify network callers' ServiceAccount tokens (TokenReview for our audience).
- apiGroups: ["authentication.k8s.io"]
  resources: ["tokenreviews"]
  verbs: ["create"]
{{- end }}
{{- end }}
{{- end }}
