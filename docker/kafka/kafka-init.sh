#!/bin/sh
# The operator's step before the services start (docker-compose.yml's kafka-init runs it once per
# `up`, as the super user admin): creates the pipeline's topics, one SCRAM user per service, and
# each service's ACLs, the least it needs (README, "Who may do what on Kafka"; the same bindings as
# pipeline-lab's KafkaAccess, which KafkaInitScriptIT checks against what this script
# leaves on a broker). Idempotent: an existing topic, user or ACL is left as it is (a user's
# password is set again). The services cannot do any of this themselves: none of them may create a
# topic or change an ACL.
#
# Environment (demo values in docker-compose.yml):
#   BOOTSTRAP_SERVERS            where the brokers are
#   CLUSTER_ADMIN_PASSWORD       the super user admin's password (the controller formats it in)
#   TOPIC_REPLICATION_FACTOR     replicas of each topic's partitions
#   TOPIC_MIN_INSYNC_REPLICAS    min.insync.replicas of each topic
#   AD_CLICK_PRODUCER_PASSWORD, AD_EVENT_RELAY_PASSWORD, AD_EVENT_SINK_PASSWORD,
#   PIPELINE_DASHBOARD_PASSWORD  each service's password, as its sasl.jaas.config gives it
#   KAFKA_BIN                    Kafka's bin directory (default /opt/kafka/bin, as in apache/kafka)
# A password must not contain a comma, a ']' or a double quote (the tools' and JAAS's syntax).
#
# Each broker learns a new user from the metadata log a moment after kafka-configs.sh returns; the
# services start only after this script has also created the ACLs and described the topics (more
# JVM starts of seconds each), so the brokers have had that moment. This script does not check it.
set -eu

bin=${KAFKA_BIN:-/opt/kafka/bin}
servers=$BOOTSTRAP_SERVERS

# The admin's client settings, for every tool below (--command-config)
admin_config=$(mktemp)
trap 'rm -f "$admin_config"' EXIT
cat > "$admin_config" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$CLUSTER_ADMIN_PASSWORD";
EOF

# The topics, with the partitions ad-click-model's Topics declares (DockerComposeFileTest checks
# them). With three replicas and at least two in sync for a write to be acknowledged (acks=all), an
# acknowledged click survives the loss of any one broker.
for topic in ad-clicks ad-events ad-clicks-rejected ad-clicks.DLT ad-events.DLT ad-event-relay.warm-up; do
  "$bin/kafka-topics.sh" --bootstrap-server "$servers" --command-config "$admin_config" \
    --create --if-not-exists --topic "$topic" --partitions 3 \
    --replication-factor "$TOPIC_REPLICATION_FACTOR" --config "min.insync.replicas=$TOPIC_MIN_INSYNC_REPLICAS"
done

# One principal per service (User:<name>), SCRAM-SHA-512
user() {
  "$bin/kafka-configs.sh" --bootstrap-server "$servers" --command-config "$admin_config" \
    --alter --entity-type users --entity-name "$1" --add-config "SCRAM-SHA-512=[password=$2]"
}
user ad-click-producer "$AD_CLICK_PRODUCER_PASSWORD"
user ad-event-relay "$AD_EVENT_RELAY_PASSWORD"
user ad-event-sink "$AD_EVENT_SINK_PASSWORD"
user pipeline-dashboard "$PIPELINE_DASHBOARD_PASSWORD"

# The ACLs: each call allows its operations on each resource it names, from any host.
# READ and WRITE imply DESCRIBE, so metadata, offsets and coordinators need no ACL of their own.
allow() {
  principal=$1
  shift
  "$bin/kafka-acls.sh" --bootstrap-server "$servers" --command-config "$admin_config" \
    --add --allow-principal "User:$principal" "$@"
}
# The producer writes clicks (an idempotent producer needs nothing more, KIP-679).
allow ad-click-producer --operation Write --topic ad-clicks
# The relay reads clicks in its group, writes events, rejects and dead letters, in transactions
# whose transactional.id starts with ad-event-relay- (its prefix; the instance id follows), and
# at its start made-up events to ad-event-relay.warm-up (its TransactionWarmUp).
allow ad-event-relay --operation Read --topic ad-clicks --group ad-event-relay
allow ad-event-relay --operation Write --topic ad-events --topic ad-clicks-rejected --topic ad-clicks.DLT \
  --topic ad-event-relay.warm-up
allow ad-event-relay --operation Write --transactional-id ad-event-relay- --resource-pattern-type prefixed
# The sink reads events in its group and writes its dead letters.
allow ad-event-sink --operation Read --topic ad-events --group ad-event-sink
allow ad-event-sink --operation Write --topic ad-events.DLT
# The dashboard describes topics (partitions, ISR, end offsets, min.insync.replicas) and the two
# groups' committed offsets (lag); it reads no record.
allow pipeline-dashboard --operation Describe --operation DescribeConfigs \
  --topic ad-clicks --topic ad-events --topic ad-clicks-rejected --topic ad-clicks.DLT --topic ad-events.DLT \
  --topic ad-event-relay.warm-up
allow pipeline-dashboard --operation Describe --group ad-event-relay --group ad-event-sink

"$bin/kafka-topics.sh" --bootstrap-server "$servers" --command-config "$admin_config" --describe
