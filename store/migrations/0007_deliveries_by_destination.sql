-- Queue views count recent deliveries per destination (throughput in the last minute and hour).
CREATE INDEX deliveries_destination_delivered ON deliveries (destination_id, delivered_at);
