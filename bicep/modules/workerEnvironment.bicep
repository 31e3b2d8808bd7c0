// The Container Apps environment every worker app runs in (one worker app per model): a Consumption profile and one
// serverless GPU workload profile, named 'gpu', that each worker app's replicas run on.
param location string
param tags object
param environmentName string
@allowed(['T4', 'A100'])
param gpu string
param logAnalyticsId string

// Serverless GPU profiles and the whole machine each replica gets (Microsoft Learn, "Serverless GPUs in Azure
// Container Apps" and workload profile types).
var profiles = {
  T4: { type: 'Consumption-GPU-NC8as-T4', cpu: '8', memory: '56Gi' }
  A100: { type: 'Consumption-GPU-NC24-A100', cpu: '24', memory: '220Gi' }
}
var profile = profiles[gpu]

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs leave through the diagnostic setting below (Azure Monitor), so no workspace key is handed over.
    appLogsConfiguration: { destination: 'azure-monitor' }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      { name: 'gpu', workloadProfileType: profile.type }
    ]
  }
}

// Newest diagnosticSettings version with categoryGroup (allLogs/audit); the only newer-dated alternative the linter offers
// is 2016-09-01, which predates category groups.
#disable-next-line use-recent-api-versions
resource environmentDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = environment.id
output name string = environment.name
@description('The vCPUs of the GPU profile\'s machine, which each worker replica takes whole.')
output cpu string = profile.cpu
@description('The memory of the GPU profile\'s machine.')
output memory string = profile.memory
