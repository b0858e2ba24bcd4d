from cinegraph_dev.sample_upstream.server import main

main()
