// Every role assignment of the deployment, one resource per assignment, each scoped as tightly as the code allows and
// justified in the comment above it. Three workload identities, one per job:
//   api     the internet-facing HTTP API (Flex Consumption)
//   worker  the GPU workers (Container Apps; one app per model, all with this identity)
//   events  Event Grid's delivery identity (both topics)
// plus, optionally, the person deploying (uploading models). Blob roles are on single containers and queue roles on
// single queues; only the Storage Blob Delegator roles sit on the account, because generateUserDelegationKey exists
// only there. DeploymentTests assert this exact list (role id, principal, scope).
param storageAccountName string
param apiPrincipalId string
param workerPrincipalId string
param eventsPrincipalId string
@description('Resource ids of the three identities: assignment names derive from them (known before deployment).')
param apiIdentityId string
param workerIdentityId string
param eventsIdentityId string
@description('Object id of the person running the deployment (azd sets AZURE_PRINCIPAL_ID); empty: none.')
param deployerPrincipalId string
@allowed(['User', 'Group', 'ServicePrincipal'])
param deployerPrincipalType string
param hostsContainerName string
param keysContainerName string
param deploymentContainerName string
param jobsContainerName string
param inputsContainerName string
param resultsContainerName string
param modelsContainerName string
param deadLetterContainerName string
@description('Every model\'s generation queue (one with a single model); each has a <name>-poison queue. Queue roles are granted per queue.')
param generationQueueNames string[]
param eventsQueueName string
param logoEventsQueueName string
param logoRequestsContainerName string
param batchRequestsContainerName string
param batchEventsQueueName string
param topicName string
param registryName string
param insightsName string
param vaultName string
param webhookSecretName string
param hasWebhookSecret bool

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }
}

resource hostsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: hostsContainerName
}

resource keysContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: keysContainerName
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: deploymentContainerName
}

resource jobsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: jobsContainerName
}

resource inputsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: inputsContainerName
}

resource resultsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: resultsContainerName
}

resource modelsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: modelsContainerName
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: deadLetterContainerName
}

resource generationQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = [for name in generationQueueNames: {
  parent: storage::queueService
  name: name
}]

resource poisonQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = [for name in generationQueueNames: {
  parent: storage::queueService
  name: '${name}-poison'
}]

resource eventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = {
  parent: storage::queueService
  name: eventsQueueName
}

resource logoEventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = {
  parent: storage::queueService
  name: logoEventsQueueName
}

resource batchRequestsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: batchRequestsContainerName
}

resource batchEventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = {
  parent: storage::queueService
  name: batchEventsQueueName
}

resource batchEventsPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = {
  parent: storage::queueService
  name: '${batchEventsQueueName}-poison'
}

resource logoRequestsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: storage::blobService
  name: logoRequestsContainerName
}

resource logoEventsPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = {
  parent: storage::queueService
  name: '${logoEventsQueueName}-poison'
}

resource topic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: topicName
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: vaultName

  resource webhookSecret 'secrets' existing = {
    name: webhookSecretName
  }
}

// Storage Blob Data Owner -> hostsContainer: Functions host storage (AzureWebJobsStorage): leases and host state.
// Microsoft documents Storage Blob Data Owner for the host; scoped to the host's own container, not the account.
resource apiHostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostsContainer.id, apiIdentityId, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: hostsContainer
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  }
}

// Storage Blob Data Owner -> keysContainer: Functions host storage: the host's function keys (azure-webjobs-secrets).
// Same documented role, this container only.
resource apiHostSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keysContainer.id, apiIdentityId, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: keysContainer
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  }
}

// Storage Blob Data Contributor -> deploymentContainer: Flex Consumption deployment storage: the platform reads and azd
// writes the app package with this identity.
resource apiDeployment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deploymentContainer.id, apiIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: deploymentContainer
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Contributor -> jobsContainer: Job and idempotency records: created, read and updated (ETag-
// conditional), cancelled.
resource apiJobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobsContainer.id, apiIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: jobsContainer
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Contributor -> inputsContainer: Uploaded init images and masks: written on submit, deleted when a
// submit fails.
resource apiInputs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(inputsContainer.id, apiIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: inputsContainer
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Reader -> resultsContainer: Result PNGs are never written by the API, but a user-delegation SAS
// grants at most what its signer may do: read here.
resource apiResultsRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resultsContainer.id, apiIdentityId, '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  scope: resultsContainer
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  }
}

// Storage Blob Delegator -> storage: Gets the user-delegation key that signs the read-only result URLs; this action
// exists only at account scope and grants no data access itself.
resource apiDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, apiIdentityId, 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a')
  scope: storage
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a')
  }
}

// Storage Queue Data Message Sender -> each generation queue: Sends job messages to the models' queues; nothing else on any
// queue.
resource apiQueueSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(generationQueues[i].id, apiIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: generationQueues[i]
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}]

// Storage Queue Data Reader -> each generation queue: The health function checks that each model's queue exists (queue
// properties need read); messages carry only job ids.
resource apiQueueRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(generationQueues[i].id, apiIdentityId, '19e7f393-937e-4f77-808e-94535e297925')
  scope: generationQueues[i]
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')
  }
}]

// Monitoring Metrics Publisher -> insights: OpenTelemetry export to Application Insights, whose local (key)
// authentication is off.
resource apiMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, apiIdentityId, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: insights
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

// Storage Blob Data Owner -> hostsContainer: Functions host storage (AzureWebJobsStorage): leases and host state, as
// documented; this container only.
resource workerHostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostsContainer.id, workerIdentityId, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: hostsContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  }
}

// Storage Blob Data Owner -> keysContainer: Functions host storage: host keys; this container only.
resource workerHostSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keysContainer.id, workerIdentityId, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: keysContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  }
}

// Storage Blob Data Contributor -> jobsContainer: Job records: status, progress, results and failures (ETag-conditional
// updates).
resource workerJobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobsContainer.id, workerIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: jobsContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Contributor -> resultsContainer: Writes the result PNGs.
resource workerResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resultsContainer.id, workerIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: resultsContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Contributor -> inputsContainer: Reads a job's init image and mask (img2img, inpainting), and writes a
// logo sketch once per run as the init image of its logo jobs ({runId}/sketch.png).
resource workerInputsWrite 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(inputsContainer.id, workerIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: inputsContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Reader -> modelsContainer: The fetch-model init container downloads the model folder and its
// SHA256SUMS.
resource workerModelsRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(modelsContainer.id, workerIdentityId, '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  scope: modelsContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  }
}

// Storage Blob Delegator -> storage: Signs the result URLs carried in job events and webhooks (user-delegation key,
// account scope only).
resource workerDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, workerIdentityId, 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a')
  scope: storage
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a')
  }
}

// Storage Queue Data Reader -> each generation queue: Queue trigger and the queue scale rule: queue properties (length).
// Microsoft documents Reader + Message Processor for queue triggers.
resource workerQueueRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(generationQueues[i].id, workerIdentityId, '19e7f393-937e-4f77-808e-94535e297925')
  scope: generationQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')
  }
}]

// Storage Queue Data Message Processor -> each generation queue: Queue trigger: receive, update visibility and delete job
// messages.
resource workerQueueProcess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(generationQueues[i].id, workerIdentityId, '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  scope: generationQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  }
}]

// Storage Queue Data Message Sender -> each poison queue: The host moves a message that failed maxDequeueCount times to the
// poison queue.
resource workerPoisonSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(poisonQueues[i].id, workerIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: poisonQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}]

// Storage Queue Data Reader -> each poison queue: Poison queue trigger (FailPoisonedGeneration): queue properties.
resource workerPoisonRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(poisonQueues[i].id, workerIdentityId, '19e7f393-937e-4f77-808e-94535e297925')
  scope: poisonQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')
  }
}]

// Storage Queue Data Message Processor -> each poison queue: Poison queue trigger: receive and delete the message after
// marking the job failed.
resource workerPoisonProcess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(poisonQueues[i].id, workerIdentityId, '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  scope: poisonQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  }
}]

// Storage Queue Data Message Sender -> generationQueues: Workflow fan-in: a finished batch item releases the batch's next
// held-back job to its model's queue (the fairness rule, MaxInFlightPerRun). Every model's queue: one batch may mix models,
// and the worker apps share this identity.
resource workerQueueSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(generationQueueNames)): {
  name: guid(generationQueues[i].id, workerIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: generationQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}]

// Storage Blob Data Contributor -> batchRequestsContainer: Reads JSONL batch uploads and writes the answer beside each
// ({name}.accepted.json or {name}.rejected.json).
resource workerBatchRequests 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(batchRequestsContainer.id, workerIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: batchRequestsContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Queue Data Reader -> batchEventsQueue: Batch upload queue trigger and its scale rule: queue properties.
resource workerBatchQueueRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(batchEventsQueue.id, workerIdentityId, '19e7f393-937e-4f77-808e-94535e297925')
  scope: batchEventsQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')
  }
}

// Storage Queue Data Message Processor -> batchEventsQueue: Batch upload queue trigger: receive and delete BlobCreated
// events.
resource workerBatchQueueProcess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(batchEventsQueue.id, workerIdentityId, '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  scope: batchEventsQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  }
}

// Storage Queue Data Message Sender -> batchEventsPoisonQueue: The host moves an upload event that failed maxDequeueCount
// times to its poison queue.
resource workerBatchPoisonSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(batchEventsPoisonQueue.id, workerIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: batchEventsPoisonQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}

// Storage Blob Data Contributor -> logoRequestsContainer: Reads logo briefs, sketches and sidecar briefs, and writes the
// refusal beside a refused upload ({name}.rejected.json).
resource workerLogoRequests 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logoRequestsContainer.id, workerIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: logoRequestsContainer
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Queue Data Reader -> logoEventsQueue: Logo upload queue trigger and its scale rule: queue properties.
resource workerLogoQueueRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logoEventsQueue.id, workerIdentityId, '19e7f393-937e-4f77-808e-94535e297925')
  scope: logoEventsQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')
  }
}

// Storage Queue Data Message Processor -> logoEventsQueue: Logo upload queue trigger: receive and delete BlobCreated
// events.
resource workerLogoQueueProcess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logoEventsQueue.id, workerIdentityId, '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  scope: logoEventsQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  }
}

// Storage Queue Data Message Sender -> logoEventsPoisonQueue: The host moves a logo upload event that failed
// maxDequeueCount times to its poison queue.
resource workerLogoPoisonSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logoEventsPoisonQueue.id, workerIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: logoEventsPoisonQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}

// Storage Queue Data Reader -> logoEventsPoisonQueue: Logo poison queue trigger (AnswerPoisonedLogoUpload): queue
// properties.
resource workerLogoPoisonRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logoEventsPoisonQueue.id, workerIdentityId, '19e7f393-937e-4f77-808e-94535e297925')
  scope: logoEventsPoisonQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')
  }
}

// Storage Queue Data Message Processor -> logoEventsPoisonQueue: Logo poison queue trigger: receive and delete the event
// after answering its upload (its run carried on, or {name}.rejected.json and a failure event).
resource workerLogoPoisonProcess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logoEventsPoisonQueue.id, workerIdentityId, '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  scope: logoEventsPoisonQueue
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8a0f0c08-91a1-4084-bc3d-661d67233fed')
  }
}

// EventGrid Data Sender -> topic: Publishes job CloudEvents to the custom topic (its access keys are off).
resource workerTopicSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, workerIdentityId, 'd5a91429-5739-47e2-a06b-3470a27159e7')
  scope: topic
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'd5a91429-5739-47e2-a06b-3470a27159e7')
  }
}

// Key Vault Secrets User -> webhookSecret: Reads the one webhook signing secret through the Container Apps Key Vault
// reference; no other secret in the vault.
resource workerWebhookSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (hasWebhookSecret) {
  name: guid(vault::webhookSecret.id, workerIdentityId, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault::webhookSecret
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

// AcrPull -> registry: Pulls the worker image; no push, no admin user.
resource workerAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, workerIdentityId, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  scope: registry
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

// Monitoring Metrics Publisher -> insights: OpenTelemetry export to Application Insights (local authentication off).
resource workerMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, workerIdentityId, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: insights
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

// Storage Queue Data Message Sender -> eventsQueue: Event Grid delivers job events from the custom topic to the events
// queue (delivery with resource identity).
resource eventsJobQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventsQueue.id, eventsIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: eventsQueue
  properties: {
    principalId: eventsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}

// Storage Queue Data Message Sender -> logoEventsQueue: Event Grid delivers BlobCreated events for logo-requests to
// this queue.
resource eventsLogoQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logoEventsQueue.id, eventsIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: logoEventsQueue
  properties: {
    principalId: eventsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}

// Storage Queue Data Message Sender -> batchEventsQueue: Event Grid delivers BlobCreated events for batch-requests/*.jsonl
// to this queue.
resource eventsBatchQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(batchEventsQueue.id, eventsIdentityId, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  scope: batchEventsQueue
  properties: {
    principalId: eventsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a')
  }
}

// Storage Blob Data Contributor -> deadLetterContainer: Event Grid writes undeliverable events to the dead-letter
// container (both subscriptions).
resource eventsDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetterContainer.id, eventsIdentityId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: deadLetterContainer
  properties: {
    principalId: eventsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

// Storage Blob Data Contributor -> modelsContainer: The person running azd up may upload model folders (az storage blob
// upload-batch --auth-mode login); no other data access.
resource deployerModels 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(modelsContainer.id, deployerPrincipalId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: modelsContainer
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}
