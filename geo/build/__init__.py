"""The build: plan, reuse, process, merge, write and record (:mod:`.stages`), over typed options
(:mod:`.options`), with the result cache, the engines, the writer plugins and watch mode.
"""
