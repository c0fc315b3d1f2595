# No tag or `latest`: reported. Tags, digests, scratch, stage names and variables are not.
FROM ubuntu
FROM node:latest AS build
FROM registry.example.com:5000/team/app
FROM debian:12
FROM alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000
FROM scratch
FROM build
ARG BASE=debian
FROM $BASE
