// Delivery of notifications: the file/console sink from dss-alerts.yml, and the Alertmanager file's
// webhook_configs and slack_configs through the durable outbox (see delivery.ts).
export { createDelivery, type Delivery, type DeliveryOptions } from './delivery.ts';
export { appendNotification, consoleLine } from './file-sink.ts';
export { WebhookIntegration } from './webhook.ts';
