// Event Grid subscriptions, each delivering to a storage queue and dead-lettering to a blob container with the events
// identity (deliveryWithResourceIdentity / deadLetterWithResourceIdentity: the account has no shared keys).
//   job-events      custom topic -> jobsEventsQueue, CloudEvents 1.0 (the worker's generation.* events)
//   logo-requests   storage system topic, Microsoft.Storage.BlobCreated under logoRequestsContainer -> logoEventsQueue,
//                   Event Grid schema (the logo-on-upload workflow reads it)
//   batch-requests  storage system topic, Microsoft.Storage.BlobCreated of *.jsonl under batchRequestsContainer ->
//                   batchEventsQueue, Event Grid schema (the worker's StartBatchFromUpload reads it; the answers it
//                   writes beside each upload, *.accepted.json / *.rejected.json, raise no event)
param topicName string
param systemTopicName string
param storageAccountId string
param eventsIdentityId string
param jobEventsQueue string
param logoRequestsContainer string
param logoEventsQueue string
param batchRequestsContainer string
param batchEventsQueue string
param deadLetterContainer string

var deliveryIdentity = {
  type: 'UserAssigned'
  userAssignedIdentity: eventsIdentityId
}

var deadLetter = {
  identity: deliveryIdentity
  deadLetterDestination: {
    endpointType: 'StorageBlob'
    properties: {
      resourceId: storageAccountId
      blobContainerName: deadLetterContainer
    }
  }
}

var retryPolicy = {
  maxDeliveryAttempts: 30
  eventTimeToLiveInMinutes: 1440
}

resource topic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: topicName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource jobEvents 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'job-events'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    deliveryWithResourceIdentity: {
      identity: deliveryIdentity
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccountId
          queueName: jobEventsQueue
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    deadLetterWithResourceIdentity: deadLetter
    retryPolicy: retryPolicy
  }
}

resource logoRequests 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'logo-requests'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${logoRequestsContainer}/'
    }
    deliveryWithResourceIdentity: {
      identity: deliveryIdentity
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccountId
          queueName: logoEventsQueue
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    deadLetterWithResourceIdentity: deadLetter
    retryPolicy: retryPolicy
  }
}

resource batchRequests 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'batch-requests'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${batchRequestsContainer}/'
      subjectEndsWith: '.jsonl'
    }
    deliveryWithResourceIdentity: {
      identity: deliveryIdentity
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccountId
          queueName: batchEventsQueue
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    deadLetterWithResourceIdentity: deadLetter
    retryPolicy: retryPolicy
  }
}
