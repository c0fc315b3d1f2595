# The apt rules together (default rules): DF104 renames `apt`, DF101 and DF103 insert at the
# same offset after `install` (in pass order), DF102 appends the lists removal; one round.
FROM debian:bookworm
RUN apt update && apt install curl
RUN apt-get update && apt-get install -q zip
