# kofu itself as a container, for a CI that runs one `docker run`: built like the
# reference server's image (scripts/build-image --kofu), from this repository's own
# binary, FROM scratch, nothing pulled. The binary carries the features and fixtures.
#
#   docker run --rm kofu:latest                      # the whole suite, bundled server
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/reports:/work/reports" kofu:latest run
FROM scratch
COPY rootfs/ /
COPY --chown=65532:65532 data/ /work/
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/kofu/kofu"]
CMD ["run"]
