from cinegraph_assets.sample_upstream.server import main

main()
