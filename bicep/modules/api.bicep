// Function app #1, the HTTP API, on Flex Consumption (Linux, .NET 10 isolated). Its own user-assigned identity is used
// for the host storage, the deployment package container, the app's storage clients and Application Insights.
param location string
param tags object
param planName string
param appName string
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param deploymentContainer string
param insightsConnectionString string
@minValue(1)
param maximumInstanceCount int
@description('App settings shared with the worker (DiffusionFunctions__Storage__* and the like).')
param sharedSettings object
@description('True when a webhook secret is deployed: only then does the API accept callbackUrl.')
param callbacksEnabled bool

@description('Whether the worker serves the shipped tiny-shapes model, whose description the API carries (GET /api/models); false when it fetches another model.')
param servesShippedModel bool = true
param logAnalyticsId string
@description('The model list (DiffusionFunctions__Models__<name>__*, DiffusionFunctions__DefaultModel) when the deployment serves several models; empty: one.')
param modelSettings object = {}
@description('Origins allowed to call the API from a browser (CORS); the local host\'s equivalent is DiffusionFunctions:Api:AllowedOrigins.')
param allowedOrigins array = []

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var settings = union(sharedSettings, {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  OTEL_SERVICE_NAME: 'dfx-api'
  DiffusionFunctions__Generation__CallbacksEnabled: string(callbacksEnabled)
  DiffusionFunctions__Model__Publish: string(servesShippedModel)
}, modelSettings)

resource api 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: { allowedOrigins: allowedOrigins, supportCredentials: false }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: settings
  }
}

// Newest diagnosticSettings version with categoryGroup (allLogs/audit); the only newer-dated alternative the linter offers
// is 2016-09-01, which predates category groups.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: api
  properties: {
    workspaceId: logAnalyticsId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = api.name
output url string = 'https://${api.properties.defaultHostName}/api'
