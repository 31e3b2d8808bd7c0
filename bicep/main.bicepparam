using 'main.bicep'

param namePrefix = 'dfx'
param workerImage = 'myregistry.azurecr.io/diffusionfunctions-worker:latest'
