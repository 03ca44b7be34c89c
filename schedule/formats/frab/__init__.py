"""frab: ``parser`` reads schedule XML, ``importer`` writes it, ``exporter`` makes the c3voc
schedule.xml and schedule.json.
"""
