{{/* Resource name prefix: the release name, or "<release>-token-warden". */}}
{{- define "token-warden.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "token-warden.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end -}}

{{- define "token-warden.labels" -}}
{{ include "token-warden.selectorLabels" . }}
app.kubernetes.io/part-of: token-warden
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "token-warden.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "token-warden.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "token-warden.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The `token-warden run` flags, one per line, from .Values.config. */}}
{{- define "token-warden.args" -}}
{{- $c := .Values.config -}}
{{- range $c.namespaces }}
- {{ printf "--namespace=%v" . | quote }}
{{- end }}
{{- with $c.mode }}
- {{ printf "--mode=%v" . | quote }}
{{- end }}
{{- with $c.tokenLifetime }}
- {{ printf "--token-lifetime=%v" . | quote }}
{{- end }}
{{- with $c.restartBefore }}
- {{ printf "--restart-before=%v" . | quote }}
{{- end }}
{{- with $c.tokensInvalidBefore }}
- {{ printf "--tokens-invalid-before=%v" . | quote }}
{{- end }}
{{- with $c.maintenanceWindow }}
- {{ printf "--maintenance-window=%v" . | quote }}
{{- end }}
{{- with $c.restartOn }}
- {{ printf "--restart-on=%v" . | quote }}
{{- end }}
{{- with $c.maxConcurrent }}
- {{ printf "--max-concurrent=%v" . | quote }}
{{- end }}
{{- with $c.maxConcurrentPerNamespace }}
- {{ printf "--max-concurrent-per-namespace=%v" . | quote }}
{{- end }}
{{- with $c.rolloutTimeout }}
- {{ printf "--rollout-timeout=%v" . | quote }}
{{- end }}
{{- with $c.restartCooldown }}
- {{ printf "--restart-cooldown=%v" . | quote }}
{{- end }}
{{- with $c.maxLead }}
- {{ printf "--max-lead=%v" . | quote }}
{{- end }}
{{- if eq (toString $c.spreadHerds) "false" }}
- "--no-spread-herds"
{{- end }}
{{- with $c.resyncInterval }}
- {{ printf "--resync-interval=%v" . | quote }}
{{- end }}
{{- with $c.evictTimeout }}
- {{ printf "--evict-timeout=%v" . | quote }}
{{- end }}
{{- if $c.leaderElection.enabled }}
- --leader-elect
{{- else }}
- --no-leader-elect
{{- end }}
{{- with $c.leaderElection.namespace }}
- {{ printf "--leader-election-namespace=%v" . | quote }}
{{- end }}
{{- with $c.leaderElection.id }}
- {{ printf "--leader-election-id=%v" . | quote }}
{{- end }}
{{- with $c.leaderElection.leaseDuration }}
- {{ printf "--lease-duration=%v" . | quote }}
{{- end }}
{{- with $c.leaderElection.renewDeadline }}
- {{ printf "--renew-deadline=%v" . | quote }}
{{- end }}
{{- with $c.leaderElection.retryPeriod }}
- {{ printf "--retry-period=%v" . | quote }}
{{- end }}
- {{ printf "--http-address=0.0.0.0:%v" $c.httpPort | quote }}
{{- if $c.auditWebhook.enabled }}
- --audit-webhook
- {{ printf "--audit-webhook-address=0.0.0.0:%v" $c.auditWebhook.port | quote }}
- --audit-webhook-tls-cert-file=/etc/token-warden/audit-tls/tls.crt
- --audit-webhook-tls-key-file=/etc/token-warden/audit-tls/tls.key
{{- if $c.auditWebhook.clientCertificates }}
- --audit-webhook-client-ca-file=/etc/token-warden/audit-tls/ca.crt
{{- end }}
{{- if $c.auditWebhook.tokenSecretName }}
- --audit-webhook-token-file=/etc/token-warden/audit-token/token
{{- end }}
{{- with $c.auditWebhook.maxSilence }}
- {{ printf "--evidence-max-silence=%v" . | quote }}
{{- end }}
{{- end }}
- {{ printf "--log-format=%v" $c.logFormat | quote }}
- {{ printf "--log-level=%v" $c.logLevel | quote }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}
